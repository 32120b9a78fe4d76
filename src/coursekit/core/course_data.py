"""A course's content files: YAML (or JSON) beside the topic notebooks, read and checked against a JSON Schema.

Why: captions, milestones and the words of the topic interactives are course text, not library code. An author
who adapts the course edits these files without touching Python or releasing the library; the library keeps
the engine (selection, drawing, scoring) and each file's shape (a JSON Schema beside the code that reads it).

Where a file is found (:func:`find`): beside the running notebook (the working directory, which is the
notebook's folder in JupyterLab, in a participant's fetched assignment and in the book's execution), else in
``notebooks/<topic>/`` under the course root (:func:`coursekit.core.settings.course_root`), which is how
instructor commands and tests reach it.

A bad file is refused with one line per problem, each saying which file, where (the path into the document
and its line) and what is wrong, then what to do: ``notebooks/11-toolbox/figures.yaml, sanctions_table.caption
(line 4): 3 is not of type 'string'; write text there (in quotes if it starts with a digit or a symbol).``
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .settings import course_root

#: The largest content file read (a real one is a few kB): a bigger file is refused before parsing.
MAX_BYTES = 1_000_000
#: The deepest nesting read, in brackets or in indentation (a real file: under 10 of either). PyYAML's reader
#: slows down with the square of the bracket depth and recurses once per level: a file a participant edited
#: into thousands of levels would hang or crash their kernel, so it is refused before parsing.
MAX_DEPTH = 100


class CourseDataError(ValueError):
    """A content file is missing or invalid; ``problems`` lists every fault, one ``where: what`` line each."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{source} is not valid course content:\n" + "\n".join(f"  {p}" for p in problems))


def find(topic: str, name: str) -> Path:
    """The file ``name`` of the topic folder ``topic`` (e.g. ``"11-toolbox"``): beside the notebook, else in the course."""
    here = Path.cwd() / name
    if here.is_file():
        return here
    path = course_root() / "notebooks" / topic / name
    if path.is_file():
        return path
    raise CourseDataError(
        name,
        [
            f"(file): not found beside the notebook ({Path.cwd()}) nor in {path.parent}; restore it from the"
            " course's repository, or put your own copy there"
        ],
    )


def load(topic: str, name: str, schema: dict[str, Any]) -> Any:
    """The checked content of the topic's file ``name`` (see :func:`find`), read again only when it changes."""
    path = find(topic, name)
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size, json.dumps(schema, sort_keys=True))


@lru_cache(maxsize=64)
def _load_cached(path: str, _mtime: int, _size: int, schema_text: str) -> Any:
    raw = Path(path).read_bytes()
    if len(raw) > MAX_BYTES:
        raise CourseDataError(path, [f"(file): larger than {MAX_BYTES} bytes; a content file is a few kB"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CourseDataError(path, [f"(file): byte {err.start} is not UTF-8; save the file as UTF-8"]) from None
    return parse(text, path, json.loads(schema_text))


def parse(text: str, source: str, schema: dict[str, Any]) -> Any:
    """Read ``text`` (YAML, of which JSON is a part) and check it against ``schema``; raise CourseDataError."""
    too_deep = _too_deep(text)
    if too_deep:
        raise CourseDataError(source, [f"{too_deep}; a content file is a few levels deep, so simplify it"])
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            # an alias repeats a node by reference: a few lines can stand for billions of nodes once expanded
            raise CourseDataError(
                source, ["(file): YAML anchors and aliases (&name, *name) are not allowed; write it out"]
            )
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(err, "problem", None) or err
        raise CourseDataError(
            source, [f"{where}: not valid YAML ({problem}); check the indentation and quotes there"]
        ) from None
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise CourseDataError(source, [_describe(err, tree) for err in errors])
    return data


def _too_deep(text: str) -> str:
    """Where ``text`` nests deeper than :data:`MAX_DEPTH` (brackets counted anywhere, even inside text), or ""."""
    depth = 0
    for n, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return f"line {text.count(chr(10), 0, n) + 1}: brackets nested more than {MAX_DEPTH} deep"
        elif char in "]}":
            depth = max(0, depth - 1)
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) - len(line.lstrip(" ")) > 2 * MAX_DEPTH:
            return f"line {number}: indented more than {2 * MAX_DEPTH} spaces"
    return ""


def _describe(err: Any, tree: Any) -> str:
    path = list(err.absolute_path)
    where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[") or "(top level)"
    return f"{where} (line {_line(tree, path)}): {err.message}; {_advice(err)}"


def _advice(err: Any) -> str:
    """What to do about one schema error, in an author's words."""
    kind = err.validator
    if kind == "required":
        return "add the missing key (see the other entries of the file for its form)"
    if kind == "additionalProperties":
        return "remove the key or correct its spelling (the allowed keys are in the other entries)"
    if kind == "type":
        wanted = err.validator_value
        if wanted == "string" or wanted == ["string"]:
            return "write text there (in quotes if it starts with a digit or a symbol)"
        return f"write a value of type {wanted} there"
    if kind in ("minLength", "minItems", "minProperties"):
        return "it may not be empty; write it, or remove the entry"
    if kind == "pattern":
        return f"write it in the form {err.validator_value!r} asks for"
    if kind == "enum":
        return f"choose one of {', '.join(map(str, err.validator_value))}"
    return "correct the value to the form the file's schema gives"


def _line(tree: Any, path: list[Any]) -> int:
    """The line (1-based) of the node at ``path`` in the composed YAML ``tree``, or of its nearest parent."""
    node = tree
    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for k, value in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            found = node.value[key]
        else:
            found = None
        if found is None:
            break
        node = found
    return node.start_mark.line + 1 if node is not None else 1
