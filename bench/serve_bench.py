"""Save -> changed page served: the preview (`invoke serve`) at branch and district size.

    python bench/serve_bench.py --sizes branch,district [--rounds 3] [--memory-edits 50]
    invoke bench  (runs bench/run.py, then this)

For each size the synthetic site (bench/generate.py) is copied to
bench/sites/<size>/serve/, built once cold with `invoke build` (its own
process, wall clock: the reference), then served by a real `invoke serve` on a
free port. Each edit writes one file and polls the page it changes over HTTP
every 10 ms until the page has the new text; the figure is the best (and the
median) of --rounds edits:

- post: a sentence appended to one news post (its page);
- calendar: one event's start time changed (the event's page);
- group: a sentence appended to a group's description (the group's page).

The preview shows the saved file's page first and then rebuilds the rest; the
figure is the page, and "settled" is when that rebuild is done (the status
endpoint says no build is running), so every list and feed has converged.

Memory is the serve process's resident set (VmRSS) after its first build and
after --memory-edits more post edits, each waited for. Results also go to
bench/results/serve-latest.json. Never used in a test: no timing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import BUILD_EPOCH, SIZES, generate  # noqa: E402

INVOKE = Path(sys.executable).with_name("invoke")
# The kit as it is when the bench starts, so that edits in the working tree
# during a run (a colleague's rebase) neither rebuild the served site nor change
# the code between the cold build and the edits.
KIT = BENCH / "sites" / "_serve_kit"
KIT_PARTS = ("tasks.py", "pelicanconf.py", "plugins", "theme")


def snapshot_kit() -> Path:
    shutil.rmtree(KIT, ignore_errors=True)
    KIT.mkdir(parents=True)
    for part in KIT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source, KIT / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, KIT / part)
    (KIT / "content").mkdir()  # pelicanconf.py's PATH must exist; --content says the site
    return KIT


ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": str(BUILD_EPOCH),
    "MEMBERS_PASSWORD": "bench-medlemmar-losen",
    "BOARD_PASSWORD": "bench-styrelse-losen",
}
TARGETS = {"branch": (0.5, 0.10), "district": (2.0, 0.15)}  # seconds, x cold
MEMORY_TARGET = 1.5
POST_SLUG = "bench-redigerad"
DEADLINE = 600


def _environment() -> dict:
    return {**os.environ, **ENVIRONMENT}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, wanted: str, started: float) -> float:
    while time.perf_counter() - started < DEADLINE:
        if wanted in _get(url):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise RuntimeError(f"{wanted!r} never appeared at {url}")


def _wait_settled(base: str, started: float) -> float:
    """Seconds until the preview's rebuild after the save is done (the status
    says no build is running): every other page has converged by then."""
    url = base + "__grasrot__/status?since=-1"
    while time.perf_counter() - started < DEADLINE:
        try:
            status = json.loads(_get(url) or "{}")
        except ValueError:
            status = {}
        if status and not status.get("rebuilding", False):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise RuntimeError("the rebuild never settled")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Site:
    """A synthetic site prepared for the edits: a post with a known slug, an event
    with a start time, a group."""

    def __init__(self, size: str):
        self.folder = BENCH / "sites" / size / "serve"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.content = generate(SIZES[size], self.folder / "content")
        self.output = self.folder / "output"
        self.post = sorted((self.content / "news").glob("*.md"))[-1]
        text = self.post.read_text(encoding="utf-8")
        self.post.write_text(
            text.replace("Title: ", f"Slug: {POST_SLUG}\nTitle: ", 1), encoding="utf-8"
        )
        self.event_file, self.event_id, self.event_owner = self._an_event()
        self.group = sorted((self.content / "groups").glob("*.md"))[0]

    def _an_event(self):
        for path in sorted((self.content / "calendar").glob("*.yaml")):
            found = re.search(
                r'- id: (evt-\d+)\n[^\n]*\n    start: "2027',
                path.read_text(encoding="utf-8"),
            )
            if found:
                return path, found.group(1), path.stem
        raise RuntimeError("no future event with a start time")

    def edit_post(self, mark: str) -> tuple[str, str]:
        with self.post.open("a", encoding="utf-8") as handle:
            handle.write(f"\nBänkmärke {mark}.\n")
        return f"nyheter/{POST_SLUG}/", f"Bänkmärke {mark}."

    def edit_event(self, round_number: int) -> tuple[str, str]:
        text = self.event_file.read_text(encoding="utf-8")
        pattern = re.compile(
            rf'(- id: {self.event_id}\n[^\n]*\n    start: "\S+ )(\d\d):(\d\d)"'
        )
        found = pattern.search(text)
        hour, minute = int(found.group(2)), (round_number * 7 + 3) % 60
        if f"{minute:02d}" == found.group(3):
            minute = (minute + 1) % 60
        text = (
            text[: found.start()]
            + f'{found.group(1)}{hour:02d}:{minute:02d}"'
            + text[found.end() :]
        )
        self.event_file.write_text(text, encoding="utf-8")
        return f"kalender/{self.event_owner}/{self.event_id}/", f"{hour:02d}:{minute:02d}"

    def edit_group(self, mark: str) -> tuple[str, str]:
        with self.group.open("a", encoding="utf-8") as handle:
            handle.write(f"\nGruppens bänkmärke {mark}.\n")
        return f"grupper/{self.group.stem}/", f"Gruppens bänkmärke {mark}."


def cold_build(site: Site) -> float:
    shutil.rmtree(site.output, ignore_errors=True)
    shutil.rmtree(site.folder / ".output-cache", ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run(
        [
            str(INVOKE),
            "build",
            "--content",
            str(site.content),
            "--output",
            str(site.output),
        ],
        cwd=KIT,
        env=_environment(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-2000:] + done.stderr[-2000:])
    return seconds


def measure_serve(site: Site, rounds: int, memory_edits: int) -> dict:
    shutil.rmtree(site.output, ignore_errors=True)
    shutil.rmtree(site.folder / ".output-cache", ignore_errors=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (site.folder / "serve.log").open("w", encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            str(INVOKE),
            "serve",
            "--port",
            str(port),
            "--content",
            str(site.content),
            "--output",
            str(site.output),
        ],
        cwd=KIT,
        env=_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = _wait_for(base, "</html>", started)
        time.sleep(1)  # let the watcher settle after the first build
        result = {"first_build_s": first, "rss_first_mb": _rss_mb(process.pid)}
        edits = {
            "post": site.edit_post,
            "calendar": site.edit_event,
            "group": site.edit_group,
        }
        for kind, edit in edits.items():
            seconds, settled = [], []
            for number in range(rounds):
                began = time.perf_counter()
                path, wanted = edit(f"{kind}-{number}" if kind != "calendar" else number)
                seconds.append(_wait_for(base + path, wanted, began))
                settled.append(_wait_settled(base, began))
                time.sleep(0.3)  # one save at a time
            result[kind] = {
                "best_s": min(seconds),
                "median_s": statistics.median(seconds),
                "all_s": seconds,
                "settled_best_s": min(settled),
                "settled_all_s": settled,
            }
        for number in range(memory_edits):
            began = time.perf_counter()
            path, wanted = site.edit_post(f"minne-{number}")
            _wait_for(base + path, wanted, began)
            _wait_settled(base, began)
        result["rss_after_edits_mb"] = _rss_mb(process.pid)
        result["memory_edits"] = memory_edits
        return result
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def table(results: dict) -> str:
    head = ["size", "cold build s", "first serve build s"]
    for kind in ("post", "calendar", "group"):
        head += [f"{kind} edit s", f"{kind} x cold"]
    head += ["RSS first MB", "RSS after edits MB", "ratio"]
    rows = [head, ["---"] * len(head)]
    for size, found in results.items():
        cold = found["cold_s"]
        row = [size, f"{cold:.2f}", f"{found['first_build_s']:.2f}"]
        for kind in ("post", "calendar", "group"):
            best = found[kind]["best_s"]
            row += [
                f"{best:.2f} (median {found[kind]['median_s']:.2f})",
                f"{best / cold:.3f}",
            ]
        ratio = found["rss_after_edits_mb"] / found["rss_first_mb"]
        row += [
            f"{found['rss_first_mb']:.0f}",
            f"{found['rss_after_edits_mb']:.0f} ({found['memory_edits']} edits)",
            f"{ratio:.2f}",
        ]
        rows.append(row)
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n\n" + verdicts(results)


def verdicts(results: dict) -> str:
    """The issue's targets, one row each, met or missed (best of the rounds)."""
    rows = [["target", "measured", "verdict"], ["---"] * 3]
    for size, found in results.items():
        seconds, times = TARGETS[size]
        cold = found["cold_s"]
        for kind in ("post", "calendar", "group"):
            best = found[kind]["best_s"]
            settled = found[kind]["settled_best_s"]
            met = best <= seconds and best / cold <= times
            rows.append(
                [
                    f"{size} {kind} edit: <= {seconds} s and <= {times}x cold",
                    (
                        f"{best:.2f} s, {best / cold:.3f}x (rebuild settled after "
                        f"{settled:.2f} s, {settled / cold:.3f}x)"
                    ),
                    "met" if met else "missed",
                ]
            )
        ratio = found["rss_after_edits_mb"] / found["rss_first_mb"]
        rows.append(
            [
                (
                    f"{size} memory after {found['memory_edits']} edits <= "
                    f"{MEMORY_TARGET}x the first build"
                ),
                f"{ratio:.2f}x",
                "met" if ratio <= MEMORY_TARGET else "missed",
            ]
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="branch,district")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-edits", type=int, default=50)
    args = parser.parse_args(argv)
    results = {}
    snapshot_kit()
    for size in args.sizes.split(","):
        site = Site(size)
        print(f"{size}: cold build ...", flush=True)
        cold = cold_build(site)
        print(f"{size}: cold {cold:.2f} s; serving and editing ...", flush=True)
        results[size] = {
            "cold_s": cold,
            **measure_serve(site, args.rounds, args.memory_edits),
        }
    print()
    print(table(results))
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "serve-latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
