"""Make N plausible synthetic articles in bulk, for benchmarks and trying the site at scale.

    python manage.py generate_articles --count 100000

Titles, alternative names, summaries, sections and FAQs are assembled from medical word lists
(varied vocabulary, deterministic for a given --seed), articles are related to three others,
one in twenty is a draft. Bulk inserts skip save() and signals, so this command stores the
derived fields itself, from `encyclopedia.markdown.render_filled` (the renderer, run once per
shape of article rather than once per article), and the search data comes from the same
`search_fields()` and `search_documents_update()` the signal receivers use.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from encyclopedia.markdown import render_filled
from encyclopedia.models import FAQ, AlternativeName, Article, Kind, Status, index_letter, sort_key
from encyclopedia.search.index import search_documents_update, search_fields

BATCH_SIZE = 1000

# body part, its medical adjective
PARTS = [
    ("knee", "genicular"), ("ankle", "talocrural"), ("hip", "coxal"), ("shoulder", "glenohumeral"),
    ("elbow", "cubital"), ("wrist", "carpal"), ("hand", "manual"), ("foot", "pedal"), ("toe", "digital"),
    ("neck", "cervical"), ("lower back", "lumbar"), ("upper back", "thoracic"), ("jaw", "mandibular"),
    ("tooth", "dental"), ("gum", "gingival"), ("tongue", "lingual"), ("throat", "pharyngeal"),
    ("voice box", "laryngeal"), ("lung", "pulmonary"), ("airway", "bronchial"), ("heart", "cardiac"),
    ("artery", "arterial"), ("vein", "venous"), ("liver", "hepatic"), ("kidney", "renal"),
    ("bladder", "vesical"), ("bowel", "intestinal"), ("colon", "colonic"), ("stomach", "gastric"),
    ("gullet", "esophageal"), ("pancreas", "pancreatic"), ("gallbladder", "biliary"), ("spleen", "splenic"),
    ("thyroid", "thyroidal"), ("adrenal gland", "adrenal"), ("skin", "dermal"), ("scalp", "scalp"),
    ("nail", "ungual"), ("eye", "ocular"), ("retina", "retinal"), ("ear", "otic"), ("sinus", "sinus"),
    ("nose", "nasal"), ("breast", "mammary"), ("prostate", "prostatic"), ("ovary", "ovarian"),
    ("womb", "uterine"), ("muscle", "muscular"), ("tendon", "tendinous"), ("nerve", "neural"),
    ("brain", "cerebral"), ("spinal cord", "spinal"), ("bone", "osseous"), ("blood", "hematologic"),
    ("lymph node", "lymphatic"), ("ear canal", "auricular"), ("eyelid", "palpebral"), ("lip", "labial"),
]  # fmt: skip
CONDITIONS = [
    "inflammation", "infection", "cyst", "ulcer", "stones", "disease", "disorder", "syndrome", "fracture",
    "sprain", "strain", "abscess", "degeneration", "failure", "insufficiency", "narrowing", "blockage",
    "dysfunction", "hernia", "polyps", "fibrosis", "calcification", "instability", "tumor", "dystrophy",
    "neuralgia", "bursitis", "tendinitis", "arthritis", "dermatitis",
]  # fmt: skip
SYMPTOMS = [
    "pain", "swelling", "stiffness", "numbness", "tingling", "itching", "bleeding", "weakness", "cramps",
    "tenderness", "burning", "redness", "discharge", "clicking", "twitching", "aching", "spasms",
    "discomfort", "throbbing", "pressure",
]  # fmt: skip
PROCEDURES = [
    "ultrasound", "biopsy", "scan", "X-ray", "endoscopy", "repair", "replacement", "removal", "injection",
    "function test", "arthroscopy", "drainage", "stent", "angiography", "reconstruction", "examination",
    "screening", "washout", "transplant", "laser treatment",
]  # fmt: skip
MODIFIERS = [
    "acute", "chronic", "recurrent", "juvenile", "hereditary", "idiopathic", "seasonal", "nocturnal",
    "exercise-induced", "post-viral", "allergic", "autoimmune", "bacterial", "viral", "fungal", "congenital",
    "age-related", "traumatic", "diabetic", "benign", "early-onset", "late-onset", "mild", "severe",
    "occupational", "pregnancy-related", "drug-induced", "stress-related", "sports-related", "childhood",
]  # fmt: skip
PROCEDURE_MODIFIERS = [
    "keyhole", "open", "emergency", "planned", "outpatient", "guided", "contrast", "routine", "follow-up",
    "day-case", "minimally invasive", "diagnostic", "preventive", "repeat", "bedside",
]  # fmt: skip
CAUSES = [
    "getting older", "an old injury", "repeated strain at work", "a viral infection", "smoking", "heavy drinking",
    "being overweight", "a family history", "poorly controlled blood sugar", "high blood pressure",
    "a long period without moving", "some medicines", "dehydration", "a lack of vitamin D", "poor posture",
    "an immune reaction", "hormonal changes", "a blocked duct", "sports with sudden turns", "cold weather",
]  # fmt: skip
TREATMENTS = [
    "rest", "physiotherapy", "pain relief from a pharmacist", "anti-inflammatory medicine", "antibiotics",
    "a splint or brace", "gentle exercise", "a change of diet", "drinking more water", "steroid injections",
    "surgery in severe cases", "compression", "heat packs", "cold packs", "weight loss", "stopping smoking",
    "talking therapy", "regular check-ups", "eye drops", "creams applied to the skin",
]  # fmt: skip
TESTS = [
    "a physical examination", "a blood test", "an ultrasound scan", "an X-ray", "an MRI scan", "a urine test",
    "a biopsy", "nerve conduction studies", "a CT scan", "an ECG", "a swab", "allergy testing",
]  # fmt: skip
URGENT = [
    "the pain is sudden and severe", "you have a high temperature and feel very unwell", "you cannot move the area",
    "you faint or feel confused", "you have chest pain or trouble breathing", "the area turns cold or blue",
    "you are bleeding heavily", "symptoms spread quickly",
]  # fmt: skip
SECTIONS = {
    Kind.CONDITION: ["Causes", "Symptoms", "Diagnosis", "Treatment", "Prevention"],
    Kind.SYMPTOM: ["Causes", "What it feels like", "Treatment and self-care", "Prevention"],
    Kind.PROCEDURE: ["Why it is done", "How to prepare", "What happens during the procedure", "Risks"],
}


def title_for(number: int, kind: Kind) -> tuple[str, str, str, str]:
    """(title, part, part adjective, noun): every number gives a different title for its kind."""
    part, adjective = PARTS[number % len(PARTS)]
    rest = number // len(PARTS)
    if kind == Kind.PROCEDURE:
        noun = PROCEDURES[rest % len(PROCEDURES)]
        modifiers = PROCEDURE_MODIFIERS
    else:
        nouns = CONDITIONS if kind == Kind.CONDITION else SYMPTOMS
        noun = nouns[rest % len(nouns)]
        modifiers = MODIFIERS
        rest //= len(nouns)
    modifier = modifiers[rest % len(modifiers)]
    title = first_upper(f"{modifier} {part} {noun}")
    if series := rest // len(modifiers):
        title += f" type {series + 1}"
    return title, part, adjective, noun


def first_upper(text: str) -> str:
    """Capitalise the first letter only, so "X-ray" and "vitamin D" keep their capitals."""
    return text[:1].upper() + text[1:]


class Generated:
    """One synthetic article's texts: Markdown templates of a few shapes, filled with words (see render_filled)."""

    def __init__(self, number: int, kind: Kind, rng: random.Random):
        self.title, part, adjective, noun = title_for(number, kind)
        symptoms = rng.sample(SYMPTOMS, 4)
        causes = rng.sample(CAUSES, 4)
        treatments = rng.sample(TREATMENTS, 4)
        tests = rng.sample(TESTS, 2)
        urgent = rng.sample(URGENT, 3)
        subject = self.title.lower()
        self.names = [f"{first_upper(adjective)} {noun}", f"{first_upper(noun)} of the {part}"]
        if rng.random() < 0.5:
            self.names.append("".join(word[0] for word in self.title.replace("-", " ").split()).upper() + str(number))
        what = {Kind.CONDITION: "a condition", Kind.SYMPTOM: "a symptom", Kind.PROCEDURE: "a procedure"}[kind]
        self.summary = (
            f"{self.title} is {what} that concerns the {part}. It is often linked to {causes[0]} or {causes[1]}, "
            f"and may come with {symptoms[0]} and {symptoms[1]}."
        )
        words = {
            "part": part, "adjective": adjective, "noun": noun, "subject": subject,
            **{f"cause{i}": cause for i, cause in enumerate(causes)},
            **{f"Cause{i}": first_upper(cause) for i, cause in enumerate(causes)},
            **{f"symptom{i}": symptom for i, symptom in enumerate(symptoms)},
            **{f"Treatment{i}": first_upper(treatment) for i, treatment in enumerate(treatments)},
            **{f"test{i}": test for i, test in enumerate(tests)},
            **{f"urgent{i}": each for i, each in enumerate(urgent)},
        }  # fmt: skip
        blocks = []
        for heading in SECTIONS[kind]:
            if heading in ("Causes", "Why it is done"):
                text = "\n".join(f"- **{{Cause{i}}}:** this can affect the {{part}} over time." for i in range(4))
            elif heading in ("Symptoms", "What it feels like"):
                text = ("Most people notice {symptom0} in the {part}, sometimes with {symptom1}. "
                        "Others describe {symptom2} that gets worse at night, or {symptom3} after activity. "
                        "The {adjective} signs can come and go over weeks.")  # fmt: skip
            elif heading in ("Diagnosis", "How to prepare"):
                text = ("A doctor asks about your symptoms and may arrange {test0} or {test1}. "
                        "Bring a list of your medicines and say if you have had {subject} before.")  # fmt: skip
            elif heading in ("Treatment", "Treatment and self-care", "What happens during the procedure"):
                text = "\n".join(f"- **{{Treatment{i}}}** helps many people." for i in range(4))
            else:
                text = ("Keeping active, avoiding {cause2} and treating {cause3} early lower the chance "
                        "of {noun} in the {part}.")  # fmt: skip
            blocks.append(f"## {heading}\n\n{text}")
        when = "\n".join(f"- Get help the same day if {{urgent{i}}}." for i in range(3))
        blocks.append(f"## When to seek medical attention\n\n{when}")
        self.rendered = render_filled("\n\n".join(blocks), words)
        self.faqs = [
            (question.format(**words), render_filled(answer, words))
            for question, answer in [
                ("What causes {subject}?", "Common causes are {cause0} and {cause1}."),
                ("How is {subject} treated?", "Often with {Treatment0} and {Treatment1}."),
                ("Is {subject} serious?", "Usually not, but see a doctor if {urgent0}."),
                ("How is {subject} found?", "Usually with {test0}."),
            ]
        ]


def generate(count: int, *, seed: int = 1, start: int | None = None, progress=None) -> list[int]:
    """Create `count` articles numbered from `start` (default: after the existing ones); returns their ids."""
    start = Article.objects.count() if start is None else start
    rng = random.Random(seed * 1_000_003 + start)
    kinds = list(Kind)
    now = timezone.now()
    created_ids: list[int] = []
    started = time.perf_counter()
    for first in range(start, start + count, BATCH_SIZE):
        numbers = range(first, min(first + BATCH_SIZE, start + count))
        with transaction.atomic():
            generated = {number: Generated(number, kinds[number % 3], rng) for number in numbers}
            articles = []
            for number, item in generated.items():
                draft = rng.random() < 0.05
                kind = kinds[number % 3]
                title = item.title
                rendered = item.rendered
                articles.append(Article(
                    kind=kind, title=title, slug=f"{slugify(title)}-{number}", summary=item.summary,
                    body=rendered.markdown, body_html=rendered.html, sections=rendered.outline,
                    care_callouts=rendered.care_callouts, sort_title=sort_key(title),
                    letter=index_letter(title), status=Status.DRAFT if draft else Status.PUBLISHED,
                    published_at=None if draft else now - datetime.timedelta(days=rng.randint(1, 2000)),
                    updated_at=now - datetime.timedelta(minutes=number), last_reviewed_on=now.date(),
                    **search_fields(sections=rendered.outline, body_html=rendered.html, names=item.names,
                                    faqs=[(question, answer.html) for question, answer in item.faqs]),
                ))  # fmt: skip
            articles = Article.objects.bulk_create(articles)
            by_number = dict(zip(numbers, articles, strict=True))
            AlternativeName.objects.bulk_create(
                AlternativeName(article=by_number[number], name=name)
                for number, item in generated.items()
                for name in item.names
            )
            FAQ.objects.bulk_create(
                FAQ(article=by_number[number], position=position, question=question, answer=answer.markdown,
                    answer_html=answer.html)
                for number, item in generated.items()
                for position, (question, answer) in enumerate(item.faqs, start=1)
            )  # fmt: skip
            pairs = set()
            for article in articles:  # three related articles each, within the batch, both ways
                for other in rng.sample(articles, min(3, len(articles) - 1) + 1):
                    if other.pk != article.pk:
                        pairs.update({(article.pk, other.pk), (other.pk, article.pk)})
            Relation = Article.related.through
            Relation.objects.bulk_create(Relation(from_article_id=a, to_article_id=b) for a, b in pairs)
            ids = [article.pk for article in articles]
            search_documents_update(ids)
        created_ids += ids
        if progress:
            progress(len(created_ids), count, time.perf_counter() - started)
    return created_ids


class Command(BaseCommand):
    help = "Make N synthetic articles in bulk (for benchmarks), with FAQs, alternative names and relations."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many articles to add")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same articles")

    def handle(self, *args, count: int, seed: int, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")

        def progress(done: int, total: int, elapsed: float) -> None:
            rate = done / elapsed if elapsed else 0
            remaining = (total - done) / rate if rate else 0
            self.stdout.write(f"{done:>9,} / {total:,} articles  {rate:,.0f}/s  about {remaining:,.0f} s left")
            self.stdout.flush()

        started = time.perf_counter()
        generate(count, seed=seed, progress=progress if options["verbosity"] else None)
        self.stdout.write(self.style.SUCCESS(f"Made {count:,} articles in {time.perf_counter() - started:.1f} s."))
