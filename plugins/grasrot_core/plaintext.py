"""Plain text from HTML: the e-mail edition's text part, event descriptions in
.ics files and JSON-LD.

Written for this purpose (rather than a Markdown converter such as html2text):
the text must read as a letter, keep every link as "text (https://…)", and
never break an address across lines.
"""

from __future__ import annotations

import textwrap

import lxml.html

WIDTH = 72
SKIP = {"head", "style", "script", "title"}
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "tr",
    "table",
    "div",
    "section",
    "ul",
    "ol",
    "dl",
    "body",
    "html",
    "article",
    "header",
    "footer",
    "nav",
    "hr",
}
CELLS = {"td", "th"}
UNDERLINE = {"h1": "=", "h2": "-"}
LINE_BREAK = "\x00"  # a <br>; every other newline in HTML text is just a space
TIGHT = {"tr", "li", "dt", "dd"}  # consecutive rows and list items: no blank line


class _TextWriter:
    """Walks the HTML tree, gathering inline text and closing a paragraph at each block."""

    def __init__(self, width):
        self.width = width
        self.paragraphs: list[tuple[str, str]] = []
        self.buffer: list[str] = []
        self.blocks: list = []

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag in SKIP or tag is None:
            self._add(element.tail)
            return
        if tag in BLOCKS:
            self.flush()
            self.blocks.append(element)
        if tag in CELLS:
            self._cell_separator(element)
        if tag == "br":
            self.buffer.append(LINE_BREAK)
        if tag == "img" and element.get("alt"):
            self.buffer.append(element.get("alt"))
        start = len(self.buffer)
        self._add(element.text)
        for child in element:
            self.walk(child)
        if tag == "a":
            self._link(element.get("href"), "".join(self.buffer[start:]))
        if tag in BLOCKS:
            self.flush()
            self.blocks.pop()
        self._add(element.tail)

    def _cell_separator(self, cell) -> None:
        """Cells of a row share a line: 'DATUM: lördag 21 november'."""
        previous = cell.getprevious()
        if previous is not None and previous.tag in CELLS:
            row_length = len([c for c in cell.getparent() if c.tag in CELLS])
            self.buffer.append(": " if row_length == 2 else " | ")

    def _add(self, text) -> None:
        if text:
            self.buffer.append(text)

    def _link(self, href, text) -> None:
        if not href or href.startswith("#"):
            return
        label = " ".join(text.split())
        shown = href[len("mailto:") :] if href.startswith("mailto:") else href
        if label != shown:
            self.buffer.append(f" ({shown})")

    def flush(self) -> None:
        lines = [" ".join(line.split()) for line in "".join(self.buffer).split(LINE_BREAK)]
        self.buffer = []
        lines = [line for line in lines if line]
        if not lines:
            return
        tag = self.blocks[-1].tag if self.blocks else "p"
        element = self.blocks[-1] if self.blocks else None
        self.paragraphs.append((tag, _format(tag, lines, element, self.width)))

    def text(self) -> str:
        parts: list[str] = []
        previous = None
        for tag, paragraph in self.paragraphs:
            if parts:
                parts.append("\n" if tag in TIGHT and tag == previous else "\n\n")
            parts.append(paragraph)
            previous = tag
        return "".join(parts) + "\n"


def _format(tag: str, lines: list[str], element, width) -> str:
    text = "\n".join(lines)
    if tag in UNDERLINE:
        heading = text.upper() if tag == "h2" else text
        return f"{heading}\n{UNDERLINE[tag] * min(len(heading), width or len(heading))}"
    if tag == "li":
        return _wrap(text, width, _bullet(element))
    if tag == "blockquote":
        return _wrap(text, width, "> ", "> ")
    if tag == "pre":
        return text
    return _wrap(text, width)


def _bullet(item) -> str:
    parent = item.getparent()
    if parent is not None and parent.tag == "ol":
        return f"{list(parent).index(item) + 1}. "
    return "- "


def _wrap(text: str, width, first: str = "", rest: str | None = None) -> str:
    rest = " " * len(first) if rest is None else rest
    wrapped = []
    for line in text.split("\n"):
        if not width:
            wrapped.append(first + line)
        else:
            wrapped.append(
                textwrap.fill(
                    line,
                    width,
                    initial_indent=first,
                    subsequent_indent=rest,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        first = rest
    return "\n".join(wrapped)


def html_to_text(html: str, width: int | None = WIDTH) -> str:
    """A readable plain-text letter; every link is kept as 'text (address)'.
    `width=None` leaves paragraphs unwrapped (calendar apps wrap them)."""
    if not html.strip():
        return ""
    writer = _TextWriter(width)
    writer.walk(lxml.html.document_fromstring(html))
    writer.flush()
    return writer.text()
