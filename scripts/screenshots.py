"""Screenshots for review: the home page of each role, at 1,366 px and at 390 px (a phone),
in ``var/screenshots/``. ``make screenshots``.

A demo database of its own (``var/screenshots/demo.sqlite3``, rebuilt each run: migrate, then
``seed-demo``), the development server on a free local port, and Debian's Chromium driven by
Playwright, as the browser tests do (no browser download, no Node). Each role logs in through
the real login page with the demo's accounts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
CHROMIUM = Path(os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
# The demo's accounts (``tremplin seed-demo``), one per role; the password is the demo's.
ROLES = {
    "referent": "referent@tremplin.demo",
    "coordinateur": "coordinateur@tremplin.demo",
    "agent": "agent@tremplin.demo",
    "admin": "admin@tremplin.demo",
}
PASSWORD = "Tremplin-demo-67"
# A few pages that matter on a phone, besides the homes (``--pages``).
PAGES = {
    "referent": ["/repertoire/beneficiaires/"],
    "coordinateur": ["/sorties/indicateurs/"],
    "agent": ["/conventions/paiements/", "/conventions/"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment() -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "demo.sqlite3"
    database.unlink(missing_ok=True)
    return {
        **os.environ,
        "TREMPLIN_DEBUG": "1",
        "TREMPLIN_OTP_REQUIRED": "0",
        "DATABASE_URL": f"sqlite:///{database}",
    }


# The project's command line, installed beside this Python (``make install``).
TREMPLIN = str(Path(sys.executable).parent / "tremplin")


def tremplin(*args: str, env: dict) -> None:
    subprocess.run([TREMPLIN, *args], env=env, check=True, cwd=ROOT)  # noqa: S603


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def shoot(base_url: str, with_pages: bool) -> list[Path]:
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for role, email in ROLES.items():
            for width, viewport in WIDTHS.items():
                context = browser.new_context(base_url=base_url, locale="fr-FR", viewport=viewport)
                page = context.new_page()
                page.goto("/compte/connexion/")
                page.get_by_label("Adresse électronique").fill(email)
                page.get_by_label("Mot de passe").fill(PASSWORD)
                page.get_by_role("button", name="Se connecter").click()
                page.get_by_role("heading", level=1, name="Bonjour").wait_for()
                paths = ["/"] + (PAGES.get(role, []) if with_pages else [])
                for path in paths:
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    name = "accueil" if path == "/" else path.strip("/").replace("/", "-")
                    target = OUT / f"{role}-{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    taken.append(target)
                context.close()
        browser.close()
    return taken


def main() -> int:
    if not CHROMIUM.exists():
        print(f"Chromium est absent ({CHROMIUM}) : apt-get install -y chromium", file=sys.stderr)
        return 1
    env = environment()
    tremplin("migrate", "--noinput", "-v", "0", env=env)
    tremplin("seed-demo", env=env)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [TREMPLIN, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + "/compte/connexion/")
        taken = shoot(base_url, with_pages="--pages" in sys.argv)
    finally:
        server.terminate()
        server.wait(timeout=10)
    for path in taken:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
