"""YAML with line numbers, so every validation message can point at the line to fix."""
from __future__ import annotations

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


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """Parse `text`; `first_line` is where it starts in its file (front matter starts at 2)."""
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
    return YamlDoc(data=data, lines=lines, path=path, first_line=first_line)
