"""Write screenshots of the finder (phone and desktop) and the admin's release form.

    make screenshots            # or: .venv/bin/python -m scripts.screenshots [--out DIR]

A throwaway site on the embedded database (reference data, the sample page, 400 demo
releases with a fixed seed, a local admin) is served by `manage.py runserver` on a free
port and photographed by Playwright in Debian's Chromium, as the browser tests drive it.
The pictures go to docs/screenshots/, which the README links; run it again after a change
to the finder or the form, and commit the pictures that changed.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM, LAUNCH_ARGS, SCREENS

ROOT = Path(__file__).resolve().parent.parent
FINDER = "/press-releases/?field=human-rights&date_from=2015"


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def photograph(base, out):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            phone = browser.new_page(viewport=SCREENS["phone"], device_scale_factor=2)
            phone.goto(base + FINDER)
            phone.screenshot(path=out / "finder-phone.png")
            phone.get_by_role("button", name=re.compile(r"^Filter")).click()
            phone.screenshot(path=out / "finder-phone-filters.png")

            desktop = browser.new_page(viewport=SCREENS["desktop"])
            desktop.goto(base + FINDER)
            desktop.screenshot(path=out / "finder-desktop.png")

            desktop.goto(base + "/admin/login/")
            desktop.get_by_label("Username").fill("admin")
            desktop.get_by_label("Password").fill("admin")
            desktop.get_by_role("button", name="Log in").click()
            desktop.wait_for_selector("#user-tools")
            desktop.goto(base + "/admin/press/release/")
            desktop.locator("#result_list .field-title a").first.click()
            desktop.wait_for_selector(".field-body [contenteditable=true]")
            desktop.screenshot(path=out / "admin-release-form.png", full_page=True)
        finally:
            browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "DEBUG": "1", "VAR_DIR": var}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data")
        manage(env, "import_releases", "press/sample_pages")
        manage(env, "generate_demo_releases", "--count", "400", "--seed", "7")
        manage(env, "ensure_local_admin")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz")
            photograph(base, out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for picture in sorted(out.glob("*.png")):
        print(f"{picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture}")


if __name__ == "__main__":
    main()
