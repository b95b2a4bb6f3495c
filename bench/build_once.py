"""One Pelican build in a fresh process, for bench/run.py.

    python bench/build_once.py SETTINGS CONTENT OUTPUT CACHE REPORT [--profile FILE]

Runs Pelican in this process (as `pelican -s SETTINGS` would) and writes a JSON
report: the build's own wall time and the plugins' self-reported timings
(the BuildState's `timings`, grasrot_core/state.py). The parent measures peak
memory with os.wait4, so the figure is this process's alone. With --profile,
pyinstrument samples the build and the report adds time per plugin (see
profile_report.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _use_plugins_beside(settings_file: str) -> None:
    """The plugins next to the settings file (run.py's snapshot of the kit), else ROOT's."""
    beside = Path(settings_file).resolve().parent / "plugins"
    sys.path.insert(0, str(beside if beside.is_dir() else ROOT / "plugins"))


def build(settings_file: str, content: str, output: str, cache: str) -> dict:
    from pelican import Pelican
    from pelican.settings import read_settings

    import grasrot_core.state

    settings = read_settings(
        settings_file,
        override={
            "PATH": content,
            "OUTPUT_PATH": output,
            "CACHE_PATH": cache,
        },
    )
    started = perf_counter()
    Pelican(settings).run()
    from grasrot_preview import this_build

    return {
        "seconds": perf_counter() - started,
        "timings": dict(grasrot_core.state.current(settings).timings),
        "output_cache": dict(this_build(settings).cache_status),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("settings", "content", "output", "cache", "report"):
        parser.add_argument(name)
    parser.add_argument("--profile", help="write a pyinstrument HTML profile here")
    args = parser.parse_args()
    _use_plugins_beside(args.settings)
    if args.profile:
        from profile_report import seconds_by_plugin
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
        report = build(args.settings, args.content, args.output, args.cache)
        session = profiler.stop()
        Path(args.profile).write_text(profiler.output_html(), encoding="utf-8")
        report["by_plugin"] = {
            "innermost": seconds_by_plugin(session.root_frame(), innermost=True),
            "outermost": seconds_by_plugin(session.root_frame(), innermost=False),
        }
        report["profile_text"] = profiler.output_text(unicode=True, show_all=False)
    else:
        report = build(args.settings, args.content, args.output, args.cache)
    Path(args.report).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
