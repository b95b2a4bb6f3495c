"""Pagefind's indexing service, spoken one request at a time.

The `pagefind` package finds the binary (`pagefind_bin`) and defines the
service's protocol: base64-encoded JSON messages, each ended by a comma, on
the binary's stdin and stdout (`pagefind --service`). Its own asyncio client
reads each answer after a fixed 0.1 s pause, so adding 900 pages one by one
takes 90 s; and adding a whole folder instead numbers the pages in the order
the file system lists them, which differs between machines and would make the
index differ too. This client sends the pages in a fixed order and reads each
answer as soon as it arrives.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from typing import cast


class PagefindError(RuntimeError):
    """Pagefind answered a request with an error."""


class PagefindService:
    def __init__(self):
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise PagefindError(
                "the Pagefind binary is missing: pip install 'pagefind[bin]'"
            )
        self._process = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._process.stdin and self._process.stdout  # both are pipes
        self._stdin = self._process.stdin
        # with the default bufsize, Popen's stdout pipe is a BufferedReader (read1)
        self._stdout = cast(io.BufferedReader, self._process.stdout)
        self._message_id = 0
        self._buffer = b""

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stdout.close()

    def request(self, payload: dict) -> dict:
        """Send one request and return its answer's payload."""
        self._message_id += 1
        message = {"message_id": self._message_id, "payload": payload}
        self._stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
        self._stdin.flush()
        while True:
            answer = json.loads(base64.b64decode(self._read_message()))
            if answer.get("message_id") in (self._message_id, None):
                break
        result = answer["payload"]
        if result.get("type") == "Error":
            raise PagefindError(result.get("message", "unknown error"))
        return result

    def _read_message(self) -> bytes:
        while b"," not in self._buffer:
            chunk = self._stdout.read1(65536)
            if not chunk:
                raise PagefindError("Pagefind stopped before it answered")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b",", 1)
        return message
