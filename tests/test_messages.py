"""Messages in the site's language: every content error and notice the kit's
plugins write is an English template (`msg(...)`) with a Swedish translation in
theme/translations/sv/LC_MESSAGES/errors.po, rendered in DEFAULT_LANG where it
is shown (the terminal, GitHub annotations, the preview overlay)."""

from __future__ import annotations

import ast
import pickle
import string

import pytest
import zxcvbn.feedback
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from conftest import ROOT

from grasrot_core.errors import ContentError, ErrorCollector, did_you_mean
from grasrot_core.messages import Message, msg, one_of, render

PLUGINS = ROOT / "plugins"
CATALOGUES = ROOT / "theme" / "translations"


def templates() -> dict[str, str]:
    """Every msg() template (plugins/, tasks.py) as Babel's extractor finds it,
    and zxcvbn's password advice, which the kit shows in its messages."""
    found = {}
    for path in [*sorted(PLUGINS.rglob("*.py")), ROOT / "tasks.py"]:
        for line, template, _comments, _context in extract_from_file(
            "python", str(path), keywords={"msg": None}
        ):
            found.setdefault(template, f"{path.relative_to(ROOT)}:{line}")
    for line, text, _comments, _context in extract_from_file(
        "python", zxcvbn.feedback.__file__, keywords={"_": None}
    ):
        found.setdefault(text, f"zxcvbn/feedback.py:{line}")
    return found


def catalogue(language: str) -> dict[str, str]:
    with open(CATALOGUES / language / "LC_MESSAGES" / "errors.po", "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


pytestmark = pytest.mark.unit


def test_the_extractor_finds_the_kit_messages():
    found = templates()
    assert len(found) > 70
    assert any(t.startswith("the slug '{slug}' is also used by") for t in found)


def test_every_message_has_a_swedish_translation_with_the_same_placeholders():
    swedish = catalogue("sv")
    missing = {t: where for t, where in templates().items() if not swedish.get(t)}
    assert not missing, f"no Swedish text in sv/LC_MESSAGES/errors.po for: {missing}"
    mismatched = {
        t: swedish[t] for t in templates() if placeholders(t) != placeholders(swedish[t])
    }
    assert not mismatched, f"placeholders differ: {mismatched}"


def test_both_catalogues_hold_exactly_the_templates_of_the_code():
    code = set(templates())
    for language in ("sv", "en"):
        assert set(catalogue(language)) == code, language


def test_every_msg_call_has_a_literal_template():
    """Babel extracts only string literals: msg(f"...") or msg(variable) would never
    be translated."""
    wrong = []
    for path in [*sorted(PLUGINS.rglob("*.py")), ROOT / "tasks.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "msg"
                and not (
                    node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                )
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong


def test_a_message_renders_in_either_language_and_nests():
    message = msg(
        "unknown status '{value}': use one of {choices}.{hint}",
        value="publicerad",
        choices=one_of(["published", "draft", "hidden"]),
        hint=did_you_mean("publicerad", ["published", "draft"]),
    )
    assert message == (
        "unknown status 'publicerad': use one of published, draft or hidden."
        " Did you mean 'published'?"
    )
    assert message.render("sv_SE") == (
        "okänd status 'publicerad': använd en av published, draft eller hidden."
        " Menade du 'published'?"
    )
    assert render(message, "en") == str(message)
    assert render("plain text", "sv") == "plain text"
    copy = pickle.loads(pickle.dumps(message))  # Pelican's content cache
    assert isinstance(copy, Message) and copy.render("sv") == message.render("sv")


def test_zxcvbn_advice_is_shown_in_the_site_language():
    """A weak password's advice is zxcvbn's English, rendered through errors.po."""
    from zxcvbn import zxcvbn

    from grasrot_members import levels

    feedback = zxcvbn("Password1")["feedback"]
    english = [feedback["warning"], *feedback["suggestions"]]
    score, advice = levels.password_strength("Password1", {})
    assert score < levels.MIN_PASSWORD_SCORE and len(english) >= 2
    assert str(advice) == " ".join(english)
    swedish = " ".join(catalogue("sv")[text] for text in english)
    assert render(advice, "sv") == swedish
    refusal = msg(
        "the new password is too easy to guess (zxcvbn {score} of 4, 3 needed). "
        "{advice} `invoke new-password` makes a good one.",
        score=score,
        advice=advice,
    )
    assert swedish in refusal.render("sv") and english[0] not in refusal.render("sv")
    assert levels.password_strength("gröna-hästar-dansar-i-regn-sju", {})[1] == ""


def test_the_collector_prints_and_annotates_in_the_language_given(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    errors = ErrorCollector()
    errors.add(
        "/elsewhere/x.md", 2, 1, msg("the file cannot be read ({reason})", reason="x")
    )
    errors.print_all(language="sv")
    printed = capsys.readouterr().err.splitlines()
    assert printed == [
        "/elsewhere/x.md:2:1: filen går inte att läsa (x)",
        "::error file=/elsewhere/x.md,line=2,col=1::filen går inte att läsa (x)",
    ]
    error = ContentError("/elsewhere/x.md", 2, 1, msg("the archive"))
    assert str(error) == "/elsewhere/x.md:2:1: the archive"
    assert error.render("sv") == "/elsewhere/x.md:2:1: arkivet"
