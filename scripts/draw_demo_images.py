"""Draw the demo articles' illustrations with Pillow and write them, with their library metadata, into
encyclopedia/demo_content/images/ (the import format: <uuid>.png beside <uuid>.yaml).

The project made these pictures itself and releases them under CC0. Run it again after changing a
drawing: the output is the same for the same code (fixed sizes, no randomness, no fonts from the system).

    .venv/bin/python scripts/draw_demo_images.py
"""

import math
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "encyclopedia" / "demo_content" / "images"
SIZE = (1600, 1000)  # drawn at this size, stored at STORED: wide enough for the article column on any screen
STORED = (1200, 750)

PAPER = (250, 247, 240)
INK = (38, 50, 56)
SKIN = (214, 160, 120)
SHIRT = (47, 110, 156)
TROUSERS = (60, 70, 90)
WALL = (205, 200, 190)
FLOOR = (170, 160, 145)
ACCENT = (200, 72, 52)
GREEN = (70, 140, 90)
BONE = (236, 226, 200)
CARTILAGE = (150, 190, 220)

PROJECT = "Health Encyclopedia"  # the site name the demo content sets up
CREDIT = f"Illustration: {PROJECT}"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)  # Pillow's own font: the same on every machine


def canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, PAPER)
    return image, ImageDraw.Draw(image)


def limb(draw: ImageDraw.ImageDraw, start, end, width: int, colour) -> None:
    """A rounded stroke: an arm, a leg, a tube."""
    draw.line([start, end], fill=colour, width=width)
    for x, y in (start, end):
        draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=colour)


def label(draw: ImageDraw.ImageDraw, xy, text: str, size: int = 44, anchor: str = "la", colour=INK) -> None:
    draw.text(xy, text, fill=colour, font=font(size), anchor=anchor)


def arrow(draw: ImageDraw.ImageDraw, start, end, colour=ACCENT, width: int = 10) -> None:
    draw.line([start, end], fill=colour, width=width)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = [
        end,
        (end[0] - 40 * math.cos(angle - 0.45), end[1] - 40 * math.sin(angle - 0.45)),
        (end[0] - 40 * math.cos(angle + 0.45), end[1] - 40 * math.sin(angle + 0.45)),
    ]
    draw.polygon(head, fill=colour)


def calf_stretch() -> Image.Image:
    image, draw = canvas()
    draw.rectangle([1300, 0, 1600, 1000], fill=WALL)
    draw.rectangle([0, 860, 1600, 1000], fill=FLOOR)
    # Back leg straight, heel flat; front knee bent; hands on the wall, body leaning in a straight line.
    back_heel, back_knee, hip = (520, 850), (700, 650), (880, 450)
    front_foot, front_knee = (1060, 850), (1080, 640)
    shoulder, head = (1120, 250), (1170, 170)
    limb(draw, back_heel, (440, 850), 34, INK)  # back shoe
    limb(draw, (1060, 850), (1140, 850), 34, INK)  # front shoe
    limb(draw, back_heel, back_knee, 58, TROUSERS)
    limb(draw, back_knee, hip, 66, TROUSERS)
    limb(draw, front_foot, front_knee, 58, TROUSERS)
    limb(draw, front_knee, hip, 66, TROUSERS)
    limb(draw, hip, shoulder, 110, SHIRT)
    limb(draw, shoulder, (1230, 300), 40, SHIRT)
    limb(draw, (1230, 300), (1300, 260), 34, SKIN)  # forearm to the wall
    draw.ellipse([head[0] - 62, head[1] - 62, head[0] + 62, head[1] + 62], fill=SKIN)
    # The calf being stretched, marked.
    draw.ellipse([560, 700, 660, 820], outline=ACCENT, width=8)
    label(draw, (90, 520), "Stretch here:", 48, colour=ACCENT)
    label(draw, (90, 580), "back of the calf", 48, colour=ACCENT)
    arrow(draw, (420, 640), (560, 740))
    label(draw, (200, 920), "Back heel stays flat on the floor", 44)
    label(draw, (1000, 60), "Lean into the wall", 44)
    return image


def blood_pressure() -> Image.Image:
    image, draw = canvas()
    draw.rectangle([0, 880, 1600, 1000], fill=FLOOR)
    draw.rectangle([900, 520, 1450, 550], fill=(150, 110, 80))  # table
    draw.rectangle([1400, 550, 1430, 880], fill=(150, 110, 80))
    draw.rectangle([300, 600, 620, 640], fill=(120, 90, 70))  # chair seat
    draw.rectangle([300, 280, 340, 880], fill=(120, 90, 70))  # chair back
    draw.rectangle([580, 640, 610, 880], fill=(120, 90, 70))
    hip, knee, foot, shoulder, head = (420, 580), (700, 590), (720, 860), (440, 320), (460, 220)
    limb(draw, hip, knee, 70, TROUSERS)
    limb(draw, knee, foot, 60, TROUSERS)
    limb(draw, foot, (800, 860), 34, INK)
    limb(draw, hip, shoulder, 120, SHIRT)
    draw.ellipse([head[0] - 66, head[1] - 66, head[0] + 66, head[1] + 66], fill=SKIN)
    elbow, hand = (700, 500), (1000, 500)
    limb(draw, shoulder, elbow, 44, SHIRT)
    limb(draw, elbow, hand, 38, SKIN)
    draw.rounded_rectangle([540, 360, 680, 470], radius=20, fill=ACCENT)  # the cuff on the upper arm
    limb(draw, (680, 420), (1120, 420), 10, INK)  # its tube to the monitor
    draw.rounded_rectangle([1120, 330, 1360, 510], radius=18, fill=(230, 232, 235), outline=INK, width=6)
    label(draw, (1240, 400), "120/80", 56, anchor="mm")
    label(draw, (60, 60), "Back supported, feet flat, legs uncrossed", 44)
    label(draw, (760, 260), "Cuff at heart level", 44, colour=ACCENT)
    label(draw, (960, 600), "Arm resting on the table", 44)
    return image


def spirometry_curve() -> Image.Image:
    image, draw = canvas()
    left, top, right, bottom = 200, 120, 1500, 860
    draw.line([left, top, left, bottom, right, bottom], fill=INK, width=6)
    label(draw, (left - 30, top - 20), "Litres", 40, anchor="rs")
    label(draw, ((left + right) / 2, bottom + 110), "Seconds", 40, anchor="ms")
    for second in range(7):
        x = left + second * (right - left) / 6
        draw.line([x, bottom, x, bottom + 16], fill=INK, width=4)
        label(draw, (x, bottom + 24), str(second), 36, anchor="mt")

    def curve(fvc: float, rate: float, colour) -> float:
        points = []
        for step in range(121):
            t = step / 20
            volume = fvc * (1 - math.exp(-rate * t))
            points.append((left + t * (right - left) / 6, bottom - volume * (bottom - top) / 5.5))
        draw.line(points, fill=colour, width=12, joint="curve")
        return fvc * (1 - math.exp(-rate))

    healthy_fev1 = curve(4.8, 2.2, GREEN)
    narrowed_fev1 = curve(3.9, 0.9, ACCENT)
    one_second = left + (right - left) / 6
    draw.line([one_second, top, one_second, bottom], fill=(120, 120, 120), width=4)
    label(draw, (one_second + 14, top), "1 second", 38)
    label(draw, (900, 160), f"Healthy: {healthy_fev1 / 4.8:.0%} out in 1 s", 44, colour=GREEN)
    label(draw, (900, 520), f"Narrowed airways: {narrowed_fev1 / 3.9:.0%} in 1 s", 44, colour=ACCENT)
    return image


def knee_joint() -> Image.Image:
    image, draw = canvas()

    def knee(cx: int, healthy: bool, title: str) -> None:
        draw.rounded_rectangle([cx - 110, 90, cx + 110, 440], radius=60, fill=BONE, outline=INK, width=6)  # femur
        draw.ellipse([cx - 170, 340, cx + 170, 520], fill=BONE, outline=INK, width=6)
        draw.rounded_rectangle([cx - 150, 590, cx + 150, 660], radius=20, fill=BONE, outline=INK, width=6)  # tibia
        draw.rounded_rectangle([cx - 100, 620, cx + 100, 920], radius=40, fill=BONE, outline=INK, width=6)
        draw.ellipse([cx + 150, 360, cx + 230, 500], fill=BONE, outline=INK, width=6)  # kneecap
        if healthy:
            draw.chord([cx - 165, 430, cx + 165, 530], 0, 180, fill=CARTILAGE)
            draw.rectangle([cx - 145, 566, cx + 145, 592], fill=CARTILAGE)
        else:
            draw.chord([cx - 100, 470, cx + 40, 525], 0, 180, fill=CARTILAGE)
            for x in (cx - 120, cx + 60, cx + 120):  # bone spurs
                draw.polygon([(x, 585), (x + 18, 545), (x + 36, 585)], fill=ACCENT)
        label(draw, (cx, 960), title, 48, anchor="ms")

    knee(480, True, "Healthy knee")
    knee(1120, False, "Knee with osteoarthritis")
    label(draw, (40, 560), "Cartilage", 40, colour=(40, 100, 150))
    arrow(draw, (250, 575), (335, 575), colour=(40, 100, 150), width=6)
    label(draw, (1270, 640), "Worn cartilage,", 40, colour=ACCENT)
    label(draw, (1270, 690), "bone spurs", 40, colour=ACCENT)
    return image


def urine_colour_chart() -> Image.Image:
    image, draw = canvas()
    colours = [
        ((250, 246, 200), "Pale straw"),
        ((246, 232, 150), "Light yellow"),
        ((240, 214, 90), "Yellow"),
        ((220, 176, 50), "Dark yellow"),
        ((190, 130, 30), "Amber"),
        ((150, 95, 30), "Brown"),
    ]
    label(draw, (800, 80), "Urine colour as a sign of how well hydrated you are", 48, anchor="mm")
    for index, (colour, name) in enumerate(colours):
        x = 130 + index * 230
        draw.rounded_rectangle([x, 200, x + 170, 620], radius=30, fill=colour, outline=INK, width=6)
        label(draw, (x + 85, 680), name, 36, anchor="mt")
    draw.rounded_rectangle([120, 760, 770, 840], radius=20, fill=GREEN)
    label(draw, (445, 800), "Well hydrated", 44, anchor="mm", colour=(255, 255, 255))
    draw.rounded_rectangle([830, 760, 1480, 840], radius=20, fill=ACCENT)
    label(draw, (1155, 800), "Drink more water", 44, anchor="mm", colour=(255, 255, 255))
    return image


def inhaler_with_spacer() -> Image.Image:
    image, draw = canvas()
    steps = [
        "1. Shake the\ninhaler", "2. Fit it to\nthe spacer", "3. Breathe out,\nseal your lips", "4. Press once,\nbreathe in slowly",
    ]  # fmt: skip
    for index, text in enumerate(steps):
        x = 40 + index * 390
        draw.rounded_rectangle([x, 120, x + 360, 760], radius=30, outline=INK, width=5)
        draw.multiline_text((x + 180, 800), text, fill=INK, font=font(40), anchor="ma", align="center")
        cx = x + 180
        if index == 0:
            draw.rounded_rectangle([cx - 50, 260, cx + 50, 520], radius=24, fill=SHIRT)
            draw.rectangle([cx - 40, 520, cx + 40, 600], fill=(120, 130, 140))
            arrow(draw, (cx - 120, 300), (cx - 120, 460), width=8)
            arrow(draw, (cx + 120, 460), (cx + 120, 300), width=8)
        if index >= 1:
            draw.rounded_rectangle([cx - 110, 420, cx + 90, 520], radius=40, fill=(220, 228, 235), outline=INK, width=5)
            draw.rounded_rectangle([cx + 70, 240, cx + 140, 470], radius=20, fill=SHIRT)
        if index >= 2:
            draw.ellipse([cx - 172, 380, cx - 112, 560], fill=SKIN)  # the face, lips on the mouthpiece
        if index == 3:
            arrow(draw, (cx + 105, 180), (cx + 105, 250), width=8)
            for offset in (0, 30, 60):
                draw.ellipse([cx - 60 + offset, 455, cx - 44 + offset, 471], fill=ACCENT)
    return image


# uuid, drawing, library metadata: what load_demo_content reads (encyclopedia/content_files).
IMAGES = [
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a01",
        calf_stretch,
        {
            "title": "Calf stretch against a wall",
            "kind": "illustration",
            "alt_text": "A person leaning forward with both hands on a wall, front knee bent and back leg straight "
            "with its heel flat on the floor, stretching the back of the calf.",
            "caption": "A calf stretch: keep the back heel down and lean in until you feel a gentle pull.",
        },
    ),
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a02",
        blood_pressure,
        {
            "title": "Sitting for a blood pressure measurement",
            "kind": "illustration",
            "alt_text": "A person sitting with their back against a chair and feet flat on the floor, arm resting on "
            "a table, with the cuff on the upper arm at heart level and connected to a monitor.",
            "caption": "How to sit: back supported, feet flat, arm resting with the cuff at heart level.",
        },
    ),
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a03",
        spirometry_curve,
        {
            "title": "Spirometry curves: healthy and narrowed airways",
            "kind": "diagram",
            "alt_text": "A graph of volume breathed out over time: the healthy curve rises steeply, the curve for "
            "narrowed airways rises slowly.",
            "long_description": "The graph shows litres of air breathed out (up the side, 0 to 5) against seconds "
            "(along the bottom, 0 to 6). The healthy curve, in green, rises steeply: about nine tenths of the air "
            "comes out in the first second (the FEV1), and it levels off near 4.8 litres (the FVC). The curve for "
            "narrowed airways, in red, rises slowly: only about three fifths of the air comes out in the first "
            "second, and it levels off lower, near 3.9 litres. A vertical line marks one second.",
            "caption": "In narrowed airways, less of the breath comes out in the first second.",
        },
    ),
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a04",
        knee_joint,
        {
            "title": "Knee joint: healthy and with osteoarthritis",
            "kind": "diagram",
            "alt_text": "Two knee joints side by side: the healthy one has smooth cartilage between the bones, "
            "the one with osteoarthritis has worn cartilage and bone spurs.",
            "long_description": "Left, a healthy knee: the thigh bone (femur) sits on the shin bone (tibia) with a "
            "smooth blue layer of cartilage covering both ends, and the kneecap in front. Right, a knee with "
            "osteoarthritis: most of the cartilage has worn away, so bone is close to bone, and small red spikes of "
            "bone (bone spurs) have grown at the edges of the joint.",
            "caption": "Osteoarthritis wears away the cartilage that cushions the knee.",
        },
    ),
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a05",
        urine_colour_chart,
        {
            "title": "Urine colour chart",
            "kind": "diagram",
            "alt_text": "Six shades of urine from pale straw to brown: the paler three mean well hydrated, the "
            "darker three mean drink more water.",
            "long_description": "Six colour swatches from left to right: pale straw, light yellow, yellow, dark "
            "yellow, amber and brown. Under the first three a green bar reads “Well hydrated”; under the last "
            "three a red bar reads “Drink more water”. Some foods and medicines change the colour too.",
            "caption": "Pale urine usually means you are drinking enough.",
        },
    ),
    (
        "5d2c6a1e-3f4b-4c8e-9a51-0c7e2b1d4a06",
        inhaler_with_spacer,
        {
            "title": "Using an inhaler with a spacer",
            "kind": "diagram",
            "alt_text": "Four steps of using an inhaler with a spacer: shake the inhaler, fit it to the spacer, "
            "breathe out and seal your lips around the mouthpiece, press once and breathe in slowly.",
            "long_description": "Step 1: shake the inhaler (arrows up and down). Step 2: push the inhaler's "
            "mouthpiece into the end of the spacer. Step 3: breathe out, away from the spacer, then seal your lips "
            "around the spacer's mouthpiece. Step 4: press the inhaler once, so a puff of medicine fills the spacer, "
            "and breathe in slowly and deeply; hold your breath for about ten seconds.",
            "caption": "A spacer helps more of the medicine reach the lungs.",
        },
    ),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for uuid, draw_it, metadata in IMAGES:
        drawing = draw_it().resize(STORED, Image.Resampling.LANCZOS)
        drawing = drawing.quantize(colors=64, dither=Image.Dither.NONE)  # flat colours: a small PNG
        drawing.save(OUT / f"{uuid}.png", optimize=True)
        record = {
            "uuid": uuid, **metadata, "credit": CREDIT, "creator": PROJECT,
            "licence": "cc0", "licence_url": CC0,
        }  # fmt: skip
        (OUT / f"{uuid}.yaml").write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100))
        print(OUT / f"{uuid}.png", (OUT / f"{uuid}.png").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
