"""YAML for people who are not programmers: no YAML 1.1 traps, with line numbers.

PyYAML follows YAML 1.1, where `18:30` is the number 1110 (base 60), `no` is
False and `2026-03-15` becomes a date object. Officers mean text in all three
cases, so this loader resolves only YAML 1.2 core types (true/false, null,
decimal numbers) and leaves everything else as a string, which each plugin
parses itself with a precise error. Mappings and lists remember where each
key and item stood, so errors can name `file:line:col`.
"""

from __future__ import annotations

import re

import yaml

from .messages import Message, msg


class Located:
    """Mixin: where a node started (1-based line and column)."""

    line: int = 1
    col: int = 1


class YamlMap(dict, Located):
    """A dict that knows the position of each key and each value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_pos: dict = {}
        self.value_pos: dict = {}

    def pos(self, key) -> tuple[int, int]:
        """Position of the value of `key`, else of the key, else of the map."""
        return self.value_pos.get(key) or self.key_pos.get(key) or (self.line, self.col)


class YamlList(list, Located):
    def __init__(self, *args):
        super().__init__(*args)
        self.item_pos: list = []

    def pos(self, index: int) -> tuple[int, int]:
        if 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return (self.line, self.col)


class YamlFloat(float):
    """A decimal number that remembers how it was written.

    `end: 21.00` is the float 21.0 to YAML, but the officer wrote a time;
    plugins that accept text read `.source` ("21.00"), and errors quote it.
    """

    source: str = ""

    def __new__(cls, value, source: str = ""):
        number = super().__new__(cls, value)
        number.source = source
        return number

    def __reduce__(self):
        return (YamlFloat, (float(self), self.source))


def source_text(value) -> str:
    """What was written in the file for a scalar: '21.00', not '21.0'."""
    return getattr(value, "source", None) or str(value)


def scalar_text(value, strip: bool = True) -> str:
    """A header or YAML value as text, as written: None is '', true is 'true'
    (not 'True'), 21.00 stays '21.00'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = source_text(value)
    return text.strip() if strip else text


class YamlSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


class _Resolver(yaml.resolver.Resolver):
    pass


# Start from nothing and add back only YAML 1.2 core schema resolvers.
_Resolver.yaml_implicit_resolvers = {}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# `012`, `0735`: a leading zero is an id, a phone number or a postcode, never a
# (YAML 1.1 octal) number, so it stays the text written.
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Resolver,
):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)

    def construct_yaml_map(self, node):
        data = YamlMap()
        data.line, data.col = _pos(node)
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    msg("a key must be plain text, not a list or a block"),
                    key_node.start_mark,
                )
            if key in data:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    msg("the key '{key}' appears twice in this block; keep one", key=key),
                    key_node.start_mark,
                )
            data[key] = self.construct_object(value_node, deep=True)
            data.key_pos[key] = _pos(key_node)
            data.value_pos[key] = _pos(value_node)

    def construct_yaml_seq(self, node):
        data = YamlList()
        data.line, data.col = _pos(node)
        yield data
        for item_node in node.value:
            data.append(self.construct_object(item_node, deep=True))
            data.item_pos.append(_pos(item_node))

    def construct_source_float(self, node):
        return YamlFloat(self.construct_yaml_float(node), node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_source_float)

try:  # libyaml's parser, when PyYAML was built with it (the wheels are)
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover
    _CParser = None

if _CParser is not None:

    class _FastLoader(_CParser, yaml.constructor.SafeConstructor, _Resolver):
        """The same resolver and constructors over libyaml's C parser.

        Pure-Python scanning was two thirds of reading a district's 3,000
        events (bench/README.md); libyaml gives the same nodes and positions
        about eight times faster.
        """

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)

    _FastLoader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
    _FastLoader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_yaml_seq)
    _FastLoader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_source_float)


def _pos(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# Limits that no officer's file comes near, so that a hostile or broken file
# fails in a moment with file:line instead of exhausting memory or the stack.
MAX_DEPTH = 50  # lists and mappings inside each other
MAX_ALIAS_VALUES = 10_000  # values that aliases (*name) may repeat in one file


def load(text: str):
    """Parse YAML text. Raises YamlSyntaxError with a 1-based position and hint."""
    has_aliases = _check_depth(text)
    if _CParser is not None:
        try:
            return _single_document(_FastLoader(text), has_aliases)
        except yaml.YAMLError:
            pass  # parse again below: officers see the pure-Python loader's wording
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character anywhere in the text
        position = max(exc.position, 0)
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        raise YamlSyntaxError(
            line,
            col,
            msg(
                "the character U+{code} cannot be in a YAML file (an invisible "
                "control character); delete it",
                code=f"{exc.character:04X}",
            ),
        ) from None
    try:
        return _single_document(loader, has_aliases)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise YamlSyntaxError(1, 1, msg("YAML error: {error}", error=str(exc))) from None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # where the unclosed quote or block began
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    unclosed = _unclosed_quote(text, line)
    if unclosed:
        return YamlSyntaxError(
            *unclosed,
            msg(
                "YAML syntax error: this quote is never closed on its line. "
                "Hint: end the value with the same quote."
            ),
        )
    return YamlSyntaxError(line, col, _explain(exc))


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s#'"][^#'"]*?:\s+)?(["'])""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """(line, col) of a value that opens a quote, does not close it on its line,
    and whose string runs on into the lines where the parser failed: the mistake
    is the missing quote, not where the parser noticed it."""
    lines = text.splitlines()
    for number, line in enumerate(lines[: error_line - 1], start=1):
        match = _QUOTED_VALUE.match(line)
        if not match or _closes(match.group(1), line[match.end() :]):
            continue
        closing = next(
            (
                n
                for n, later in enumerate(lines[number:], start=number + 1)
                if _closes(match.group(1), later)
            ),
            None,
        )
        # The string ends at the quote that was meant to open the next value.
        if (
            closing
            and closing <= error_line <= closing + 2
            and _QUOTED_VALUE.match(lines[closing - 1])
        ):
            return number, match.start(1) + 1
    return None


def _closes(quote: str, text: str) -> bool:
    plain = text.replace("''", "") if quote == "'" else re.sub(r"\\.", "", text)
    return quote in plain


def _check_depth(text: str) -> bool:
    """Refuse nesting deeper than MAX_DEPTH before any recursive step sees it.
    Returns whether the text uses aliases (True also when it does not parse)."""
    parser = _CParser(text) if _CParser is not None else _Loader(text)
    depth, has_aliases = 0, False
    try:
        for event in iter(parser.get_event, None):
            if isinstance(event, yaml.AliasEvent):
                has_aliases = True
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlSyntaxError(
                        mark.line + 1,
                        mark.column + 1,
                        msg(
                            "lists and mappings are nested more than {depth} levels "
                            "deep here; write the value flatter",
                            depth=MAX_DEPTH,
                        ),
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        return True  # a syntax error: the real parse below reports it with its position
    finally:
        parser.dispose()
    return has_aliases


def _single_document(loader, has_aliases: bool = True):
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if has_aliases:
            _check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_aliases(root) -> None:
    """Aliases repeat a whole subtree; nine chained anchors repeat it 10^9 times
    (a "billion laughs"). Count the values aliases add, without expanding them,
    and refuse an alias inside its own anchor (an endless value)."""
    done: dict[int, int] = {}  # node id -> values it stands for, aliases expanded
    open_nodes: set[int] = set()
    extra = 0
    stack = [(root, False)]
    while stack:
        node, children_counted = stack.pop()
        key = id(node)
        if children_counted:
            open_nodes.discard(key)
            done[key] = 1 + sum(done[id(child)] for child in _children(node))
        elif key in done:  # met again: an alias
            extra += done[key]
            if extra > MAX_ALIAS_VALUES:
                raise _alias_error(
                    node,
                    msg(
                        "aliases (*name) repeat more than {count} values of the "
                        "anchor (&name) here; write the values out instead",
                        count=MAX_ALIAS_VALUES,
                    ),
                )
        elif key in open_nodes:
            raise _alias_error(
                node,
                msg(
                    "an alias (*name) inside its own anchor (&name) "
                    "makes an endless value; remove it"
                ),
            )
        else:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _alias_error(node, message: str) -> YamlSyntaxError:
    line, col = _pos(node)
    return YamlSyntaxError(line, col, message)


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    if "appears twice" in problem or isinstance(exc.problem, Message):
        return exc.problem
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = msg(
            " Hint: a value containing ': ' must be quoted, e.g. title: \"Möte: budget\"."
        )
    elif "found character '\\t'" in problem:
        hint = msg(" Hint: indent with spaces, not tabs.")
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = msg(
            " Hint: check the indentation; every field of an event lines up "
            "under the first one, and list items start with '- '."
        )
    elif "end of stream" in problem:
        hint = msg(" Hint: a quote that starts here is never closed.")
    return msg(
        "YAML syntax error: {problem}{context}.{hint}",
        problem=_known(problem) or msg("YAML syntax error"),
        context=_known(exc.context, " "),
        hint=hint,
    )


def _known(text, prefix: str = ""):
    """PyYAML's English wording of a problem, as a translatable message when known."""
    if not text:
        return ""
    for start, message in _PYYAML_WORDING:
        if str(text).startswith(start):
            return msg("{prefix}{text}", prefix=prefix, text=message)
    return prefix + str(text)


_PYYAML_WORDING = [
    ("mapping values are not allowed here", msg("mapping values are not allowed here")),
    (
        "found character '\\t' that cannot start any token",
        msg("found a tab character, which cannot start a value"),
    ),
    ("could not find expected ':'", msg("could not find the expected ':'")),
    ("expected <block end>", msg("a line is indented differently from the ones above it")),
    ("found unexpected end of stream", msg("the file ended in the middle of a value")),
    ("did not find expected key", msg("did not find the next key")),
    ("did not find expected '-' indicator", msg("did not find the expected '- '")),
    ("found unexpected ':'", msg("found an unexpected ':'")),
    ("found undefined alias", msg("found an alias (*name) without its anchor (&name)")),
    ("while scanning a simple key", msg("while reading a key")),
    ("while scanning a quoted scalar", msg("while reading a quoted value")),
    ("while parsing a block mapping", msg("while reading a block of 'key: value' lines")),
    ("while parsing a block collection", msg("while reading a list")),
    ("while scanning a plain scalar", msg("while reading a value")),
    ("while scanning for the next token", msg("while reading the next value")),
]
