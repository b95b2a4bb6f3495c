"""Make Pagefind's filter files byte-identical from build to build.

Pagefind 1.5 builds its filter indexes in Rust hash maps, so the order of the
filter values (and with it the files' hashed names, the metadata file and
pagefind-entry.json) changes from run to run although the content is the same
(Pagefind's own source says so: "Change filter indexes to BTree to give them a
stable hash"). The kit promises byte-identical builds, so after Pagefind has
written its bundle we put each filter's values in order and name the files
after their content again, exactly as Pagefind names them: language, "_", and
the start of the SHA-1 of the CBOR data, written as Pagefind writes it.

Every file is decoded and re-encoded first: if that does not give back the very
same bytes (a Pagefind release with another format), nothing is touched and
the build says so, rather than risk a bundle the browser cannot read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
FILTERS = (
    3  # the metadata's list of [filter name, file hash]: version, pages, chunks, filters…
)


class UnknownFormat(Exception):
    """The bundle is not in the format this module knows."""


def pagefind_hash(data: bytes) -> str:
    """Pagefind's `full_hash`: SHA-1 bytes as unpadded hex (`{:x?}` per byte)."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _read(path: str):
    with open(path, "rb") as handle:
        raw = gzip.decompress(handle.read())
    if not raw.startswith(SIGNATURE):
        raise UnknownFormat(path)
    data = raw[len(SIGNATURE) :]
    value = cbor2.loads(data)
    if cbor2.dumps(value) != data:
        raise UnknownFormat(path)
    return value


def _write(path: str, value) -> str:
    """Write `value` as Pagefind does; return its full hash."""
    data = cbor2.dumps(value)
    with open(path, "wb") as handle:
        handle.write(gzip.compress(SIGNATURE + data, mtime=0))
    return pagefind_hash(data)


def _stable_filter(bundle: str, language: str, name: str, old_hash: str) -> str:
    """Sort one filter's values; return the file's new short hash."""
    old_path = os.path.join(bundle, "filter", f"{old_hash}.pf_filter")
    filter_name, values = _read(old_path)
    values = sorted(values, key=lambda packed: packed[0])
    data = cbor2.dumps([filter_name, values])
    short = f"{language}_{pagefind_hash(data)}"[: len(language) + 8]
    os.remove(old_path)
    _write(os.path.join(bundle, "filter", f"{short}.pf_filter"), [filter_name, values])
    return short


def _stable_language(bundle: str, language: str, entry: dict) -> None:
    old_meta = os.path.join(bundle, f"pagefind.{entry['hash']}.pf_meta")
    meta = _read(old_meta)
    filters = sorted(
        (
            [name, _stable_filter(bundle, language, name, old)]
            for name, old in meta[FILTERS]
        ),
        key=lambda pair: pair[0],
    )
    new_meta = [*meta[:FILTERS], filters, *meta[FILTERS + 1 :]]
    full = pagefind_hash(cbor2.dumps(new_meta))
    entry["hash"] = f"{language}_{full[: len(language) + 8]}"
    os.remove(old_meta)
    _write(os.path.join(bundle, f"pagefind.{entry['hash']}.pf_meta"), new_meta)


def _check_format(bundle: str, languages: dict) -> None:
    """Decode every file we would rewrite before changing any of them."""
    for entry in languages.values():
        meta = _read(os.path.join(bundle, f"pagefind.{entry['hash']}.pf_meta"))
        if not isinstance(meta, list) or len(meta) <= FILTERS:
            raise UnknownFormat("pf_meta")
        for _name, old in meta[FILTERS]:
            _read(os.path.join(bundle, "filter", f"{old}.pf_filter"))


def make_stable(bundle: str) -> bool:
    """Rewrite the filter files in a fixed order; False if the format is unknown."""
    entry_path = os.path.join(bundle, ENTRY)
    with open(entry_path, encoding="utf-8") as handle:
        entry = json.load(handle)
    try:
        _check_format(bundle, entry["languages"])
    except (UnknownFormat, ValueError, KeyError, cbor2.CBORDecodeError):
        return False
    for language, language_entry in sorted(entry["languages"].items()):
        _stable_language(bundle, language, language_entry)
    with open(entry_path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return True
