"""YAML with line numbers, so every validation message can point at the line to fix."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ContentError

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text: we parse and report bad dates ourselves."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDoc:
    """Parsed YAML plus the 1-based line of every key path, e.g. ("topics", 2, "slug")."""

    data: Any
    lines: dict[tuple[Any, ...], int]
    path: str
    first_line: int = 1

    def line_of(self, *key: Any) -> int:
        """Line of the deepest known part of `key` (falls back to the document start)."""
        for end in range(len(key), 0, -1):
            if key[:end] in self.lines:
                return self.lines[key[:end]]
        return self.first_line

    def error(self, key: tuple[Any, ...], message: str, hint: str | None = None) -> ContentError:
        return ContentError(self.path, message, line=self.line_of(*key), hint=hint)


def _index_lines(node: yaml.Node, prefix: tuple[Any, ...], offset: int,
                 out: dict[tuple[Any, ...], int], path: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*prefix, key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in out and isinstance(key_node, yaml.ScalarNode):
                # YAML would silently keep the last one; an editor meant one of them.
                raise ContentError(path, f"key '{key_node.value}' appears twice (lines {out[key]} and {line})",
                                   line=line, hint="keep one of them")
            out[key] = line
            _index_lines(value_node, key, offset, out, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = (*prefix, index)
            out[key] = item.start_mark.line + 1 + offset
            _index_lines(item, key, offset, out, path)


# Flat front matter, as editors write it: one `key: value` a line, the value plain text,
# quoted text or a one-line [list]. Read without the YAML parser (in less than half its
# time), where it gives what the parser would; anything else goes to the parser.
_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): +(.*?) *")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_PLAIN = re.compile(r"[A-Za-z][^:#{}\[\]|>\"`@%\t]*")       # letter first; no indicator that could end or mark it
_FLOW_ITEM = re.compile(r"[A-Za-z][^:#{}\[\],|>\"`@%\t]*")   # the same, inside [ ]: no comma either
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")                  # no implicit type but the timestamp we leave out


def _reads_as_text(value: str) -> bool:
    """Whether a plain scalar this shape is read as a string: no implicit type (bool,
    null, number) claims it. Asks the loader's own resolvers."""
    return not any(pattern.match(value) for _, pattern in _Loader.yaml_implicit_resolvers.get(value[0], ()))


def _flat_value(value: str) -> str | list[str] | None:
    if not value.isprintable():
        return None
    if _ISO_DATE.fullmatch(value):
        return value
    quoted = _DOUBLE_QUOTED.fullmatch(value)
    if quoted:
        return quoted.group(1)
    quoted = _SINGLE_QUOTED.fullmatch(value)
    if quoted:
        return quoted.group(1).replace("''", "'")
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        items = [item.strip() for item in inner.split(",")] if inner else []
        if all(_FLOW_ITEM.fullmatch(item) and _reads_as_text(item) for item in items):
            return items
        return None
    if _PLAIN.fullmatch(value) and _reads_as_text(value):
        return value
    return None


def _flat_yaml(text: str, path: str, first_line: int) -> YamlDoc | None:
    """`text` read as the YAML parser would read it, if it is flat front matter; else None."""
    data: dict[str, Any] = {}
    lines: dict[tuple[Any, ...], int] = {}
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip(" "):
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            return None
        key, raw = entry.groups()
        if key in data or not _reads_as_text(key):
            return None   # a repeated key is an error the parser reports
        value = _flat_value(raw)
        if value is None:
            return None
        data[key] = value
        lines[(key,)] = number
        if isinstance(value, list):
            lines.update(((key, index), number) for index in range(len(value)))
    return YamlDoc(data=data, lines=lines, path=path, first_line=first_line) if data else None


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """Parse `text`; `first_line` is where it starts in its file (front matter starts at 2)."""
    flat = _flat_yaml(text, path, first_line)
    if flat is not None:
        return flat
    return parse_yaml(text, path, first_line)


def parse_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """load_yaml, always with the YAML parser."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(path, f"YAML syntax error: {problem}", line=line, column=column,
                           hint="check indentation, colons and quotes around text with ': ' in it") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"YAML error: {exc}", line=first_line) from None
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _index_lines(node, (), offset, lines, path)
    doc = YamlDoc(data=data, lines=lines, path=path, first_line=first_line)
    _check_showable(doc, doc.data, ())
    return doc


# What no page or feed can hold: control characters but tab and line breaks, lone
# surrogates (which UTF-8 cannot encode) and the two non-characters XML forbids. A file
# with one written in it is cleaned as it is read (see sources.text); in YAML, a quoted
# escape ("\u0000", "\a", "\ud800") makes one, and it stopped the build with a traceback
# when the feed or the page was written.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_showable(doc: YamlDoc, value: Any, key: tuple[Any, ...]) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _refuse_unshowable(doc, name, (*key, name), "a key")
            _check_showable(doc, item, (*key, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_showable(doc, item, (*key, index))
    else:
        _refuse_unshowable(doc, value, key, f"'{key[0]}'" if len(key) == 1 else
                           "the value at " + ".".join(map(str, key)) if key else "the document")


def _refuse_unshowable(doc: YamlDoc, value: Any, key: tuple[Any, ...], what: str) -> None:
    found = _UNSHOWABLE.search(value) if isinstance(value, str) else None
    if found is not None:
        raise doc.error(key, f"{what} holds the character U+{ord(found.group()):04X}, which no page or feed can show",
                        hint="remove the escape that makes it, such as \\u0000 or \\a in double quotes")
