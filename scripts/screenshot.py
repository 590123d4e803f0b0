"""Take a screenshot of a page with the browser tests' tooling (Playwright + Debian's Chromium).

.venv/bin/python scripts/screenshot.py http://127.0.0.1:8000/symptoms/leg-cramps/ docs/article.png [WIDTHxHEIGHT]
"""

import os
import sys

from playwright.sync_api import sync_playwright

LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def main(url: str, path: str, size: str = "1280x1600") -> None:
    width, height = (int(number) for number in size.split("x"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=LAUNCH_ARGS
        )
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.screenshot(path=path)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
