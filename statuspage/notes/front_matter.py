"""Front matter as YAML, read safely: libyaml where it is there, aliases and deep nesting refused.

Python-Markdown's `meta` extension and lenient parsers cut lists short or leak fields into the
body; this reads the YAML block with PyYAML's safe constructor and nothing else, and reports
every error at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import NoteError
from ..schema import unreadable

#: libyaml's parser where PyYAML has it (ten times faster); the same constructor, so the same values.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Front matter is a handful of fields; deeper nesting is a mistake or an attack.
MAX_FRONT_MATTER_DEPTH = 8
#: PyYAML's constructors let these escape for values like `2026-02-30` or `!!timestamp x`.
_CONSTRUCT_ERRORS = (ValueError, TypeError, AttributeError)


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, Any] = field(default_factory=dict)
    #: The line of each top-level key and sub-key ("components.login"), for messages.
    lines: dict[str, int] = field(default_factory=dict)


def parse_front_matter(text: str, first_line: int) -> FrontMatter:
    try:
        text = _strip_line_ends(text)
        try:
            data, lines = _load_yaml(text, first_line, _FAST_LOADER)
        except yaml.YAMLError:
            data, lines = _load_slowly(text, first_line)
    except _CONSTRUCT_ERRORS as error:
        raise NoteError(
            [(first_line, f"the front matter has a value that cannot be read: {unreadable(error)}")]
        ) from None
    except RecursionError:
        raise NoteError([(first_line, _too_deep())]) from None
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise NoteError([(first_line, "the front matter must be fields like 'title: Login page offline'")])
    return FrontMatter(data, lines)


def _strip_line_ends(text: str) -> str:
    """Drop trailing blanks and turn tabs inside a line into spaces.

    Both mean nothing in front matter, PyYAML trips over them, and libyaml and the pure-Python
    loader disagree on tabs inside values; a tab that indents a line is still an error.
    """
    lines = []
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        lines.append(line[: len(line) - len(body)] + body.rstrip(" \t").replace("\t", " "))
    return "\n".join(lines)


def _load_yaml(text: str, first_line: int, loader_class: type[yaml.SafeLoader]) -> tuple[Any, dict[str, int]]:
    """`yaml.safe_load`, refusing aliases and deep nesting before any value is built; and the
    line of each key, from the same parse.

    An alias bomb ("billion laughs") is a few lines that expand to billions of values once
    anything walks them; notes never need aliases, so none is accepted.
    """
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}
        _check_nodes(root, first_line)
        lines = _key_lines(root, first_line)  # before construction, which flattens merge keys in place
        return loader.construct_document(root), lines
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, first_line: int) -> None:
    """Refuse a node reached twice (an alias) or nested too deeply, visiting each node once."""
    seen = {id(root)}
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise NoteError([(first_line + node.start_mark.line, _too_deep())])
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        for child in children:
            if id(child) in seen:
                raise NoteError(
                    [
                        (
                            first_line + child.start_mark.line,
                            "the front matter uses a YAML alias (&name and *name); write the value out each time instead",
                        )
                    ]
                )
            seen.add(id(child))
            stack.append((child, depth + 1))


def _too_deep() -> str:
    return f"the front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep; a note needs two at most"


def _load_slowly(text: str, first_line: int) -> tuple[Any, dict[str, int]]:
    """Parse again with the pure-Python loader, whose error messages we show (libyaml words them differently)."""
    try:
        return _load_yaml(text, first_line, yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        written = text.split("\n")[mark.line] if mark is not None and mark.line < text.count("\n") + 1 else ""
        raise NoteError([(line, f"the front matter is not valid YAML: {_explain(reason, error, written)}")]) from None


def _explain(reason: str, error: yaml.YAMLError, written: str) -> str:
    """PyYAML's words, and what the author most likely has to do, for the common slips."""
    context = getattr(error, "context", None) or ""
    value = written.partition(":")[2].strip()
    if "'\\t'" in reason:
        return "a tab is not allowed here; indent with spaces, and put text containing a tab in quotes"
    if reason == "mapping values are not allowed here":
        if ": " in value or value.endswith(":"):
            key = written.partition(":")[0].strip()
            return f'{reason}; a value with ": " in it needs quotes, like {key}: "{value}"'
        return f"{reason}; check the indentation; a field's lines start where its name does"
    if "that cannot start any token" in reason and value.startswith(("@", "`", "%")):
        return f'{reason}; a value that starts with {value[0]} needs quotes, like "{value}"'
    if reason.startswith("expected <block end>") and value.startswith(("[", "{")):
        return f"{reason}; a value that starts with {value[0]} is read as a list or a table; put it in quotes"
    if "quoted scalar" in context:
        return f"{reason}; a quoted value is not closed; add the closing quote"
    return reason


def _key_lines(root: yaml.Node, first_line: int) -> dict[str, int]:
    """Map top-level keys and their sub-keys ("components.login") to line numbers."""
    lines: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            lines[str(key.value)] = first_line + key.start_mark.line
            if isinstance(value, yaml.MappingNode):
                for sub, _ in value.value:
                    lines[f"{key.value}.{sub.value}"] = first_line + sub.start_mark.line
            elif isinstance(value, yaml.SequenceNode):  # a maintenance's "components: [db, api]"
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        lines.setdefault(f"{key.value}.{item.value}", first_line + item.start_mark.line)
    return lines
