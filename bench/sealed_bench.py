"""Sealed minutes: a cold district build, its minutes sealed vs the same minutes plain.

    .venv/bin/python bench/sealed_bench.py [--size district] [--repeat 1]

The district site (bench/generate.py: 2,000 posts, 300 minutes, ...) is built
twice per round, each time cold (fresh output and cache folders) with
pelicanconf.py in its own process:

- plain: the 300 minutes as plain Markdown (as an untracked draft would be);
- sealed: the same 300 minutes sealed with `invoke seal`'s code (age X25519,
  one key pair per level; each level's key sealed with its password, scrypt 2^18).

The difference is what sealing costs a build: one scrypt per level, then an
X25519 unwrap and a ChaCha20-Poly1305 pass per file. Wall and CPU seconds of
each build (compare CPU on a shared machine), and one level key opened alone
(the scrypt). Best of --repeat, plain and sealed builds interleaved.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "plugins"))

PASSWORDS = {"members": "bench-medlemmar-lösen-4711", "board": "bench-styrelse-lösen-4712"}
ENV = {
    "MEMBERS_PASSWORD": PASSWORDS["members"],
    "BOARD_PASSWORD": PASSWORDS["board"],
    "SOURCE_DATE_EPOCH": "1795176000",
}


def generate(size: str, content: Path) -> None:
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), size, str(content)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def seal_minutes(content: Path) -> int:
    """Seal every file in content/minutes/ as `invoke seal` does; returns the count."""
    from grasrot_members import officer, sealing

    keys = str(content / "keys")
    for level, password in PASSWORDS.items():
        sealing.make_level_keys(keys, level, password)
    site = officer.load_site(ROOT, str(content))
    files = sorted(p for p in (content / "minutes").rglob("*") if p.is_file())
    for path in files:
        data = path.read_bytes()
        level = officer.level_of(site, path, data)
        recipients = sealing.recipients_for(level, site.levels, keys)
        Path(str(path) + sealing.SUFFIX).write_bytes(sealing.seal_bytes(data, recipients))
        path.unlink()
    return len(files)


def cold_build(content: Path, scratch: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one cold build in its own process. CPU time
    (user + system) is the figure to compare on a shared machine: wall time
    there mostly measures the other jobs."""
    output, cache = scratch / "output", scratch / "cache"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    command = [
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
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def open_key_once(content: Path) -> float:
    """CPU seconds to open one level's key (the scrypt)."""
    from grasrot_members import agepass

    sealed = (content / "keys" / "members.key.age").read_bytes()
    started = time.process_time()
    agepass.decrypt(sealed, PASSWORDS["members"].encode("utf-8"))
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="district")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grasrot-sealed-bench-") as folder:
        root = Path(folder)
        plain = root / "plain" / "content"
        generate(args.size, plain)
        sealed = root / "sealed" / "content"
        shutil.copytree(plain, sealed)
        count = seal_minutes(sealed)
        best = {"plain": (float("inf"),) * 2, "sealed": (float("inf"),) * 2}
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            for name, folder in (("plain", plain), ("sealed", sealed)):
                wall, cpu = cold_build(folder, root / name)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        key = open_key_once(sealed)
    print(f"{args.size}: {count} sealed minutes files, cold builds (best of {args.repeat})")
    print("| minutes | wall | CPU (user+sys) |\n|---|---|---|")
    for name in ("plain", "sealed"):
        print(f"| {name} | {best[name][0]:.1f} s | {best[name][1]:.1f} s |")
    print(
        f"CPU difference: {best['sealed'][1] - best['plain'][1]:+.1f} s; "
        f"one level key opened (scrypt 2^18): {key:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
