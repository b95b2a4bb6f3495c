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


class YamlSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


class _Resolver(yaml.resolver.Resolver):
    pass


# Start from nothing and add back only YAML 1.2 core schema resolvers.
_Resolver.yaml_implicit_resolvers = {}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
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
                    None, None, "a key must be plain text", key_node.start_mark
                )
            if key in data:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"the key '{key}' appears twice in this block; keep one",
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


def load(text: str):
    """Parse YAML text. Raises YamlSyntaxError with a 1-based position and hint."""
    if _CParser is not None:
        try:
            return _single_document(_FastLoader(text))
        except yaml.YAMLError:
            pass  # parse again below: officers see the pure-Python loader's wording
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or block began
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, col, _explain(exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        raise YamlSyntaxError(1, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def _single_document(loader):
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "YAML syntax error"
    context = f" {exc.context}" if exc.context else ""
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = (
            " Hint: a value containing ': ' must be quoted, e.g. "
            "title: \"Möte: budget\"."
        )
    elif "found character '\\t'" in problem:
        hint = " Hint: indent with spaces, not tabs."
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = (
            " Hint: check the indentation; every field of an event lines up "
            "under the first one, and list items start with '- '."
        )
    elif "end of stream" in problem:
        hint = " Hint: a quote that starts here is never closed."
    elif "appears twice" in problem:
        return problem
    return f"YAML syntax error: {problem}{context}.{hint}"
