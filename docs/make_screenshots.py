"""Take the README's screenshots from the current build (run `hgap build` first): a known phrase, a gap
phrase and the gaps page, in Debian's chromium through Playwright.

    python docs/make_screenshots.py [--home DIR]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
# name: (path, whole page?) — the clusters page is long, so only its first screen.
SHOTS = {
    "screenshot-result.png": ("/search?q=pins+and+needles", True),
    "screenshot-gap.png": ("/search?q=my+head+feels+like+it%27s+fizzing", True),
    "screenshot-gaps.png": ("/gaps/clusters", False),
    "screenshot-named-category.png": ("/search?q=I+have+a+black+eye", True),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", help="the hgap home of the build to show")
    args = parser.parse_args()
    port = free_port()
    command = [sys.executable, "-m", "hgap.cli", "serve", "--port", str(port)] + (["--home", args.home] if args.home else [])
    server = subprocess.Popen(command)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                              "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            for name, (path, whole) in SHOTS.items():
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(DOCS / name), full_page=whole)
                print(f"wrote {DOCS / name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
