"""`invoke serve`: one process for the whole preview session.

- The port is checked before anything is built: a taken port is one line and
  exit code 1.
- The first build, then watchfiles (the main thread: inotify on Linux) on
  content/, theme/, plugins/ and the settings file, and once it watches, an
  HTTP server (a thread) serving `output/`. Each save first shows the saved
  file's own page (quick.py), then is one build in this process (session.py).
- Every HTML page gets a small script that waits for the next build and
  reloads the page (live reload), and, while the last build failed, an error
  overlay listing each error as the terminal printed it. The pages themselves
  stay those of the last good build.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import os
import posixpath
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .session import PreviewSession

STATUS_PATH = "/__grasrot__/status"
SCRIPT_PATH = "/__grasrot__/preview.js"
OVERLAY_ID = "grasrot-preview-errors"
# watchfiles: changes within DEBOUNCE_MS of each other are one save (an editor
# writing several files); it looks for them every STEP_MS.
DEBOUNCE_MS = 30
STEP_MS = 10
LONG_POLL_SECONDS = 25
# With no change for IDLE_MS the watcher says so (an empty set): the first time,
# it is set up, and the server starts.
IDLE_MS = 200

TEXTS = {
    "sv": {
        "port_taken": "Port {port} används redan: prova make serve PORT={free}",
        "serving": "Förhandsvisning på http://localhost:{port}/ (Ctrl-C stoppar)",
        "failed": "Bygget misslyckades: sidorna visar det senaste lyckade bygget. "
        "Rätta felen och spara igen.",
        "title": "Förhandsvisningen visar det senaste lyckade bygget",
        "fix": "Rätta felen nedan och spara igen; rutan försvinner vid nästa "
        "lyckade bygge.",
        "built": "Byggt på {seconds:.2f} s: {written} filer ändrade, {removed} borttagna.",
        "changed": "Ändrat: {names}",
        "first": "Visas redan: {names} ({seconds:.2f} s); resten byggs.",
    },
    "en": {
        "port_taken": "Port {port} is already in use: try make serve PORT={free}",
        "serving": "Preview at http://localhost:{port}/ (Ctrl-C stops)",
        "failed": "The build failed: the pages show the last good build. "
        "Fix the errors and save again.",
        "title": "The preview shows the last good build",
        "fix": "Fix the errors below and save again; this box goes away with the next "
        "good build.",
        "built": "Built in {seconds:.2f} s: {written} files changed, {removed} removed.",
        "changed": "Changed: {names}",
        "first": "Shown already: {names} ({seconds:.2f} s); building the rest.",
    },
}


def text(language: str, key: str, **values) -> str:
    return TEXTS.get(language, TEXTS["en"])[key].format(**values)


# --- The port -----------------------------------------------------------------------


def bind(port: int, language: str) -> ThreadingHTTPServer | None:
    """The server socket, or None after printing the one-line message."""
    try:
        return _PreviewServer(("", port), _Handler)
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        print(
            text(language, "port_taken", port=port, free=_free_port_after(port)),
            file=sys.stderr,
        )
        return None


def _free_port_after(port: int) -> int:
    for candidate in range(port + 1, port + 50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("", candidate))
            except OSError:
                continue
            return candidate
    return port + 1


# --- Serving ------------------------------------------------------------------------


class _PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    session: PreviewSession

    def handle_error(self, request, client_address):
        """A browser that left before its page came (a reload) is no error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


EDITOR_PATH = "/admin/"


class _Handler(SimpleHTTPRequestHandler):
    server: _PreviewServer

    def log_message(self, format, *args):
        pass  # the terminal is for build messages

    def translate_path(self, path: str) -> str:
        path = posixpath.normpath(unquote(urlsplit(path).path))
        parts = [part for part in path.split("/") if part and part not in (".", "..")]
        return os.path.join(str(self.server.session.output), *parts)

    def do_GET(self):
        route = urlsplit(self.path)
        if route.path == STATUS_PATH:
            return self._status(parse_qs(route.query))
        if route.path == SCRIPT_PATH:
            return self._send(SCRIPT.encode(), "text/javascript; charset=utf-8")
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not route.path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", route.path + "/")
                self.end_headers()
                return None
            path = os.path.join(path, "index.html")
        # The web editor (/admin/) is left as it is: its saves rebuild the site,
        # and a live reload would throw away the form being filled in.
        if path.endswith((".html", ".htm")) and not route.path.startswith(EDITOR_PATH):
            return self._page(path)
        return super().do_GET()

    def _page(self, path: str):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            status = HTTPStatus.OK
        except OSError:
            status = HTTPStatus.NOT_FOUND
            try:
                with open(
                    os.path.join(str(self.server.session.output), "404.html"), "rb"
                ) as handle:
                    data = handle.read()
            except OSError:
                data = b"<!doctype html><title>404</title><h1>404</h1>"
        result = self.server.session.result
        session = self.server.session
        data = inject(
            data, result.number, result.errors, session.language, session.rebuilding
        )
        return self._send(data, "text/html; charset=utf-8", status)

    def _status(self, query):
        session = self.server.session
        since = int((query.get("since") or ["0"])[0] or 0)
        result = session.wait_for_build_after(since, LONG_POLL_SECONDS)
        body = json.dumps(
            {
                "build": result.number,
                "ok": result.ok,
                "errors": result.errors,
                "rebuilding": session.rebuilding,
            }
        ).encode()
        return self._send(body, "application/json")

    def _send(self, data: bytes, content_type: str, status=HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        super().end_headers()

    def guess_type(self, path):
        return mimetypes.guess_type(path)[0] or "application/octet-stream"


SCRIPT = """(function () {
  var me = document.currentScript;
  var build = me ? Number(me.getAttribute("data-build")) : 0;
  function wait() {
    fetch("STATUS_PATH?since=" + build, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.build !== build) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
""".replace("STATUS_PATH", STATUS_PATH)


def inject(
    page: bytes, build: int, errors: list[str], language: str, rebuilding=False
) -> bytes:
    """The live-reload script and, while the last build failed, the error overlay.
    `data-rebuilding` says the page was served while the rest was being rebuilt."""
    added = (
        f'<script src="{SCRIPT_PATH}" data-build="{build}" '
        f'data-rebuilding="{str(bool(rebuilding)).lower()}"></script>'
    )
    if errors:
        added = overlay(errors, language) + added
    data = added.encode("utf-8")
    at = page.rfind(b"</body>")
    if at < 0:
        return page + data
    return page[:at] + data + page[at:]


def overlay(errors: list[str], language: str) -> str:
    lines = "\n".join(html.escape(line) for line in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" lang="{html.escape(language)}" '
        'style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
        "z-index:2147483647;background:#fff4f4;color:#1a1a1a;border-top:4px solid #b00020;"
        "padding:1rem 1.25rem;font:16px/1.5 system-ui,sans-serif;"
        'box-shadow:0 -4px 16px #0003">'
        f'<h2 style="margin:0 0 .25rem;font-size:1.15rem;color:#8a0018">'
        f"{html.escape(text(language, 'title'))}</h2>"
        f'<p style="margin:0 0 .5rem">{html.escape(text(language, "fix"))}</p>'
        '<pre style="margin:0;white-space:pre-wrap;font:14px/1.45 ui-monospace,monospace">'
        f"{lines}</pre></div>"
    )


# --- Watching -----------------------------------------------------------------------


def _worth_a_build(_change, path: str) -> bool:
    """Not compiled Python, editors' swap and backup files, or output of our own."""
    name = os.path.basename(path)
    return not (
        name.endswith((".pyc", "~", ".swp", ".swx", ".tmp"))
        or name.startswith((".#", "#"))
        or f"{os.sep}__pycache__{os.sep}" in path
    )


def serve(
    port: int,
    content: Path,
    output: Path,
    settings_file: Path,
    watched,
    plugin_paths,
    language: str = "sv",
    prepare=None,
    overrides=None,
) -> int:
    """Bind the port, build, serve and rebuild on every save until Ctrl-C.
    `prepare` runs once the port is ours, before the first build."""
    server = bind(port, language)
    if server is None:
        return 1
    if prepare is not None:
        prepare()
    signal.signal(signal.SIGTERM, _stop)  # as Ctrl-C: the staging folder is removed
    session = PreviewSession(
        content, output, settings_file, overrides, plugin_paths=plugin_paths
    )
    server.session = session
    from watchfiles import watch

    serving = None
    try:
        _build_and_report(session)
        for changes in watch(
            *watched,
            watch_filter=_worth_a_build,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            raise_interrupt=True,
            yield_on_timeout=True,
            rust_timeout=IDLE_MS,
        ):
            if serving is None:  # the watcher is set up: no save from now on is missed
                serving = threading.Thread(target=server.serve_forever, daemon=True)
                serving.start()
                print(text(session.language, "serving", port=port), flush=True)
            if not changes:
                continue
            changed = sorted({path for _, path in changes})
            print(
                text(
                    session.language, "changed", names=", ".join(_short(p) for p in changed)
                ),
                flush=True,
            )
            if any(_is_code(p, plugin_paths) for p in changed):
                session.reload_plugins()
            else:
                _show_first(session, changed)
            _build_and_report(session)
    except KeyboardInterrupt:
        return 0
    finally:
        if serving is not None:
            server.shutdown()
        server.server_close()
        session.close()


def _stop(_signal, _frame):
    raise KeyboardInterrupt


def _show_first(session: PreviewSession, changed: list[str]) -> None:
    started = time.perf_counter()
    written = session.show_first(changed)
    if written:
        print(
            text(
                session.language,
                "first",
                names=", ".join(written),
                seconds=time.perf_counter() - started,
            ),
            flush=True,
        )


def _build_and_report(session: PreviewSession) -> None:
    started = time.perf_counter()
    result = session.build()
    if result.ok:
        print(
            text(
                session.language,
                "built",
                seconds=time.perf_counter() - started,
                written=result.written,
                removed=result.removed,
            ),
            flush=True,
        )
    else:  # the errors themselves are printed already, as they were found
        print(text(session.language, "failed"), file=sys.stderr, flush=True)


def _is_code(path: str, plugin_paths) -> bool:
    return path.endswith(".py") and any(
        os.path.abspath(path).startswith(os.path.abspath(str(root)) + os.sep)
        for root in plugin_paths
    )


def _short(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
