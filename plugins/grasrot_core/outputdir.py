"""Build into a staging folder beside the output and swap it in only on success.

`invoke build` and `invoke publish` both go through `build_into`:

- one build at a time per output folder: a lock file beside it
  (`.output.lock`); a second build says so and waits for the first;
- the site is built into `.output-new-<random>/` on the same file system, then
  renamed into place, so `output/` is always a whole site: the previous one
  after any failure, kill or full disk;
- leftovers of a killed build (`.output-new-*`, `.output-previous`) are removed
  by the next one;
- files are 0644 and folders 0755, whatever the umask or mkdtemp gave;
- what OUTPUT_RETENTION names (a `.git` folder, say) is carried over.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_WAIT_SECONDS = int(os.environ.get("GRASROT_LOCK_WAIT", "900"))
MESSAGES = {
    "sv": {
        "busy": "Ett annat bygge pågår i {target}; det här väntar tills det är klart "
        "(låset {lock}).",
        "gave_up": "Ett annat bygge pågår fortfarande i {target} efter {seconds} s; "
        "inget byggdes. Försök igen när det är klart.",
        "is_file": "{target} är en fil, inte en mapp: ta bort den eller välj en annan "
        "--output. Inget byggdes.",
        "failed": "Bygget misslyckades; {target} är som förut.",
    },
    "en": {
        "busy": "Another build is running into {target}; this one waits for it "
        "(lock {lock}).",
        "gave_up": "Another build is still running into {target} after {seconds} s; "
        "nothing was built. Try again when it has finished.",
        "is_file": "{target} is a file, not a folder: remove it or choose another "
        "--output. Nothing was built.",
        "failed": "The build failed; {target} was left as it was.",
    },
}


def build_into(target: Path, run, language: str = "sv", keep=(".git",)) -> int:
    """Run `run(staging_folder) -> exit code`, then swap the result into `target`."""
    target = Path(target).absolute()
    say = MESSAGES["sv" if str(language).startswith("sv") else "en"]
    if target.exists() and not target.is_dir():
        print(say["is_file"].format(target=target), file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock(target, say) as locked:
        if not locked:
            return 75  # EX_TEMPFAIL
        remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
        try:
            code = run(staging)
            if code != 0:
                print(say["failed"].format(target=target), file=sys.stderr)
                return code
            set_modes(staging)
            _carry_over(target, staging, keep)
            _swap(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return 0


@contextmanager
def _lock(target: Path, say):
    path = target.with_name(f".{target.name}.lock")
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(say["busy"].format(target=target, lock=path), file=sys.stderr, flush=True)
            if not _wait_for(handle):
                print(
                    say["gave_up"].format(target=target, seconds=LOCK_WAIT_SECONDS),
                    file=sys.stderr,
                )
                yield False
                return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for(handle) -> bool:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            time.sleep(0.2)
    return False


def remove_leftovers(target: Path) -> None:
    """Staging and previous folders a killed build left beside `target`."""
    for leftover in target.parent.glob(f".{target.name}-new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.rmtree(target.with_name(f".{target.name}-previous"), ignore_errors=True)


def set_modes(folder: Path) -> None:
    """Folders 0755, files 0644: a web server reading a copy must be able to."""
    os.chmod(folder, 0o755)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def _carry_over(target: Path, staging: Path, keep) -> None:
    for name in keep:
        kept = target / name
        if kept.exists() and not (staging / name).exists():
            kept.rename(staging / name)


def _swap(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
