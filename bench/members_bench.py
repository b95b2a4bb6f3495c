"""What the members' area costs: build time with 300 protected pages, unlock time.

    .venv/bin/python bench/members_bench.py [--pages 300] [--repeat 2]

- build: the same 300 generated minutes, once as protected minutes
  (content/minutes/, encrypted) and once as public news posts, each built cold
  with pelicanconf.py in its own process (best of --repeat). The difference is
  what protection costs: two PBKDF2 runs per level, then AES-GCM per page.
- Python KDF: one level's key derivation alone (two PBKDF2-SHA256 runs).
- unlock in Chromium (/usr/bin/chromium): from clicking "Öppna" to the text
  on screen (PBKDF2 600,000 in WebCrypto, unwrap, decrypt), and opening a
  second page with the remembered key (no PBKDF2).

Uses MEMBERS_PASSWORD / BOARD_PASSWORD from the environment, else bench-only ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "tests"))

PASSWORDS = {
    "MEMBERS_PASSWORD": os.environ.get("MEMBERS_PASSWORD") or "bench-medlemmar-losen",
    "BOARD_PASSWORD": os.environ.get("BOARD_PASSWORD") or "bench-styrelse-losen",
}
EPOCH = "1795176000"  # 2026-11-20 12:00 UTC, as the tests
PARAGRAPH = (
    "Mötet diskuterade budgeten för {year}, lokalfrågan i Norrby och "
    "kampanjen inför valet. Beslutades att uppdra åt styrelsen att "
    "återkomma med ett förslag till nästa möte. "
)


def minutes_text(number: int, protected: bool) -> str:
    day = f"2026-{number % 12 + 1:02d}-{number % 27 + 1:02d}"
    access = "Access: board\n" if protected and number % 10 == 0 else ""
    body = "\n\n".join(
        f"## § {p + 1}\n\n" + PARAGRAPH.format(year=2026) * 4 for p in range(6)
    )
    return f"Title: Möte nummer {number}\nDate: {day} 18:30\n{access}\n{body}\n"


def make_site(root: Path, pages: int, protected: bool) -> Path:
    content = root / "content"
    folder = content / ("minutes" if protected else "news")
    folder.mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "om-oss.md").write_text(
        "Title: Om oss\n\nFöreningen.\n", encoding="utf-8"
    )
    for number in range(pages):
        (folder / f"mote-{number:04d}.md").write_text(
            minutes_text(number, protected), encoding="utf-8"
        )
    return content


def build(content: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    cache = output.parent / f".{output.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, **PASSWORDS, "SOURCE_DATE_EPOCH": EPOCH}
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(output),
            "--cache-path",
            str(cache),
            "--fatal",
            "warnings",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    return elapsed


def python_kdf_seconds() -> float:
    from grasrot_members import crypto

    crypto.pbkdf2.cache_clear()
    started = time.perf_counter()
    crypto.derive_level_key("members", PASSWORDS["MEMBERS_PASSWORD"], "bench")
    return time.perf_counter() - started


def unlock_seconds(output: Path, repeat: int) -> tuple[float, float]:
    """(first unlock with the password, a second page with the remembered key)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory
    from playwright.sync_api import sync_playwright

    pages = sorted(
        p.parent.name
        for p in (output / "protokoll").glob("*/index.html")
        if '"level":"members"' in p.read_text(encoding="utf-8")
    )
    url, server = serve_directory(output)
    firsts, seconds = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            for _ in range(repeat):
                context = browser.new_context()
                tab = context.new_page()
                tab.goto(f"{url}/protokoll/{pages[0]}/")
                tab.get_by_label("Lösenord").fill(PASSWORDS["MEMBERS_PASSWORD"])
                started = time.perf_counter()
                tab.get_by_role("button", name="Öppna").click()
                tab.locator(".members-opened").wait_for(timeout=60_000)
                firsts.append(time.perf_counter() - started)
                started = time.perf_counter()
                tab.goto(f"{url}/protokoll/{pages[1]}/")
                tab.locator(".members-opened").wait_for(timeout=60_000)
                seconds.append(time.perf_counter() - started)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return min(firsts), min(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grasrot-members-bench-") as scratch:
        root = Path(scratch)
        public = make_site(root / "public", args.pages, protected=False)
        protected = make_site(root / "protected", args.pages, protected=True)
        plain = min(build(public, root / "public" / "output") for _ in range(args.repeat))
        locked = min(
            build(protected, root / "protected" / "output") for _ in range(args.repeat)
        )
        kdf = python_kdf_seconds()
        extra = locked - plain
        print(f"{'pages':<42}{args.pages}")
        print(f"{'cold build, public posts':<42}{plain:7.2f} s")
        print(f"{'cold build, protected minutes':<42}{locked:7.2f} s")
        print(
            f"{'protection costs':<42}{extra:+7.2f} s "
            f"({extra / plain:+.0%}, {1000 * extra / args.pages:+.1f} ms per page)"
        )
        print(f"{'  of which key derivation, per level':<42}{kdf:7.2f} s (2 x PBKDF2 600k)")
        if not args.no_browser:
            first, again = unlock_seconds(root / "protected" / "output", args.repeat)
            print(f"{'unlock in Chromium (PBKDF2 600k + open)':<42}{first:7.2f} s")
            print(f"{'next page, remembered key':<42}{again:7.2f} s (load + decrypt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
