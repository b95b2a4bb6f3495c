"""What site search costs: Pagefind's indexing time and the index's size.

    .venv/bin/python bench/search_bench.py [--sizes branch,district] [--repeat 1]

For each size, bench/generate.py writes the synthetic site and one cold build
runs in its own process (bench/build_once.py, pelicanconf.py, all plugins).
grasrot_search times itself (reading the public pages, Pagefind indexing and
writing the bundle, putting the filters in order) and reports it in
the BuildState's timings; the table gives that time, its share of the whole cold build,
the CPU time of Pagefind's own process (wall time suffers most on a busy machine),
the pages indexed, and the bundle's size on disk (all of pagefind/) and what a
first search downloads at most (the UI, pagefind.js, the WebAssembly, the
metadata and one index chunk). Target: indexing at most 10% of the cold build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import BUILD_EPOCH, generate  # noqa: E402

TARGET_SHARE = 0.10
ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": str(BUILD_EPOCH),
    "MEMBERS_PASSWORD": os.environ.get("MEMBERS_PASSWORD") or "bench-medlemmar-losen-7Qx",
    "BOARD_PASSWORD": os.environ.get("BOARD_PASSWORD") or "bench-styrelse-losen-9Kz",
}


def cold_build(content: Path, work: Path) -> dict:
    output, cache, report = work / "output", work / "cache", work / "report.json"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "build_once.py"),
            str(ROOT / "pelicanconf.py"),
            str(content),
            str(output),
            str(cache),
            str(report),
        ],
        check=True,
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    result["bundle"] = output / "pagefind"
    return result


def kilobytes(paths) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1024


def first_search_kb(bundle: Path) -> float:
    """The most one first query loads: UI, JS, WebAssembly, metadata, biggest chunk."""
    fixed = ["pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js"]
    files = [bundle / name for name in fixed] + list(bundle.glob("wasm.*.pagefind"))
    files += list(bundle.glob("*.pf_meta"))
    chunks = sorted((bundle / "index").glob("*.pf_index"), key=lambda p: p.stat().st_size)
    return kilobytes(files + chunks[-1:])


def bench_size(size: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"grasrot-search-{size}-") as temp:
        content = generate(size, Path(temp) / "content")
        best = None
        for _ in range(repeat):
            result = cold_build(content, Path(temp))
            if best is None or result["seconds"] < best["seconds"]:
                best = result
        bundle = best["bundle"]
        timings = best["timings"]
        return {
            "size": size,
            "build": best["seconds"],
            "search": timings["search_seconds"],
            "pagefind_cpu": timings["search_pagefind_cpu"],
            "pages": timings["search_pages"],
            "bundle_kb": kilobytes(bundle.rglob("*")),
            "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
            "first_search_kb": first_search_kb(bundle),
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="branch,district")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rows = [bench_size(size, args.repeat) for size in args.sizes.split(",")]
    print(
        "| size | pages indexed | cold build s | indexing s | share | Pagefind CPU s "
        "| index KB (files) | first search KB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        share = row["search"] / row["build"]
        mark = "" if share <= TARGET_SHARE else " (over target)"
        print(
            f"| {row['size']} | {row['pages']} | {row['build']:.1f} | {row['search']:.2f} "
            f"| {share:.1%}{mark} | {row['pagefind_cpu']:.2f} "
            f"| {row['bundle_kb']:.0f} ({row['files']}) "
            f"| {row['first_search_kb']:.0f} |"
        )
    print(f"Target: indexing at most {TARGET_SHARE:.0%} of the cold build.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
