"""Read and check a tabletop exercise file, so an instructor can write one without Python.

An exercise is one YAML (or JSON) file. Two checks run on it, both reporting one line per problem in the form
``where: what`` (the path inside the file, then the fault), so an author can find and fix each without reading
code: the JSON Schema (shapes, required fields, lengths) and the cross-references no schema can express (an
option that names an unknown measure, a solo rule for a role that does not exist, a fact dated after the
course that is not marked as an update).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.settings import course_root, settings

SCHEMA = "tabletop-exercise.schema.json"
#: The largest exercise file read (a real one is about 30 kB): a bigger file is refused before parsing.
MAX_BYTES = 1_000_000


class ExerciseError(ValueError):
    """The file is not a valid exercise; ``problems`` lists every fault found, one ``where: what`` line each."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{source} is not a valid tabletop exercise:\n" + "\n".join(f"  {p}" for p in problems))


@lru_cache(maxsize=None)
def schema() -> dict[str, Any]:
    """The exercise file's JSON Schema."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA).read_text(encoding="utf-8"))


def schema_problems(data: Any) -> list[str]:
    """Every way ``data`` breaks the schema, as ``where: what`` lines; [] if it fits."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        found.append(f"{where}: {error.message}")
    return found


def reference_problems(data: dict[str, Any]) -> list[str]:
    """Cross-reference faults of a schema-valid exercise, as ``where: what`` lines.

    A fact dated after the course's last day (``dates.end`` of the course settings) must say it is an update.
    """
    found: list[str] = []
    course_end = settings().end.isoformat()
    facts, categories, measures = data["facts"], data["categories"], data["measures"]
    roles = [r["id"] for r in data["roles"]]
    member_states = {r["id"] for r in data["roles"] if r["member_state"]}

    def need(kind: str, known, name: str, where: str) -> None:
        if name not in known:
            found.append(f"{where}: unknown {kind} {name!r}")

    def duplicates(kind: str, ids: list[str], where: str) -> None:
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            found.append(f"{where}: {kind} id {dup!r} is used twice")

    duplicates("role", roles, "roles")
    if not member_states:
        found.append("roles: no role has member_state: true, so no EU measure could ever be adopted")
    for fid, fact in facts.items():
        if fact["date"] > course_end and not fact.get("after_course"):
            found.append(f"facts/{fid}: dated {fact['date']}, after the course: add after_course: true")
    for mid, measure in measures.items():
        need("category", categories, measure["category"], f"measures/{mid}/category")
    for r, role in enumerate(data["roles"]):
        for p, item in enumerate(role["card"]["private"]):
            for fid in item.get("facts", []):
                need("fact", facts, fid, f"roles/{r}/card/private/{p}/facts")
    injects = [i["id"] for i in data["injects"]]
    duplicates("inject", injects, "injects")
    for n, inject in enumerate(data["injects"]):
        at = f"injects/{n}"
        earlier = injects[:n]
        for fid in inject["facts"] + inject["actual"]["facts"]:
            need("fact", facts, fid, f"{at}/facts")
        options = {o["id"]: o for o in inject["options"]}
        duplicates("option", [o["id"] for o in inject["options"]], f"{at}/options")
        for k, option in enumerate(inject["options"]):
            need("category", categories, option["category"], f"{at}/options/{k}/category")
            for mid in option.get("supports", []):
                need("measure", measures, mid, f"{at}/options/{k}/supports")
            for rid in option.get("roles", []):
                need("role", roles, rid, f"{at}/options/{k}/roles")
        for mid in inject.get("outcomes", {}):
            need("measure", measures, mid, f"{at}/outcomes")
        backed = {m for o in inject["options"] for m in o.get("supports", [])}
        for mid in sorted(backed - set(inject.get("outcomes", {}))):
            found.append(f"{at}/outcomes: an option backs measure {mid!r} but no outcome says what follows")
        for b, branch in enumerate(inject.get("branches", [])):
            found += _condition_problems(data, branch["when"], earlier, f"{at}/branches/{b}/when")
        for rid in roles:
            offered = [o for o in inject["options"] if rid in o.get("roles", roles)]
            if len(offered) < 2:
                found.append(f"{at}/options: role {rid!r} is offered {len(offered)} option(s), needs at least 2")
            rules = inject["solo"].get(rid)
            if rules is None:
                found.append(f"{at}/solo: no rule for role {rid!r} (solo play needs one for every role)")
                continue
            if "when" in rules[-1]:
                found.append(f"{at}/solo/{rid}: the last rule needs no 'when', so some option is always chosen")
            for k, rule in enumerate(rules):
                choice = options.get(rule["choose"])
                if choice is None:
                    found.append(f"{at}/solo/{rid}/{k}/choose: unknown option {rule['choose']!r}")
                elif rid not in choice.get("roles", roles):
                    found.append(f"{at}/solo/{rid}/{k}/choose: option {rule['choose']!r} is not offered to {rid!r}")
                if "when" in rule:
                    found += _condition_problems(data, rule["when"], earlier, f"{at}/solo/{rid}/{k}/when")
        for rid in inject["solo"]:
            need("role", roles, rid, f"{at}/solo")
    duplicates("poll", [p["id"] for p in data.get("polls", [])], "polls")
    for n, poll in enumerate(data.get("polls", [])):
        if poll["answer"] not in {o["id"] for o in poll["options"]}:
            found.append(f"polls/{n}/answer: {poll['answer']!r} is not one of the poll's options")
        for fid in poll["facts"]:
            need("fact", facts, fid, f"polls/{n}/facts")
    for key in ("toolbox", "after_course"):
        for fid in data["debrief"].get(key, []):
            need("fact", facts, fid, f"debrief/{key}")
    return found


def _condition_problems(data: dict[str, Any], when: dict[str, Any], earlier: list[str], where: str) -> list[str]:
    """A condition may only look back: at an earlier inject, its options and the measures it decides."""
    ((kind, ref),) = when.items()
    if ref["inject"] not in earlier:
        return [f"{where}/{kind}/inject: {ref['inject']!r} is not an earlier inject"]
    inject = next(i for i in data["injects"] if i["id"] == ref["inject"])
    if kind == "chose" and ref["option"] not in {o["id"] for o in inject["options"]}:
        return [f"{where}/chose/option: inject {ref['inject']!r} has no option {ref['option']!r}"]
    if kind in ("adopted", "blocked") and ref["measure"] not in inject.get("outcomes", {}):
        return [f"{where}/{kind}/measure: inject {ref['inject']!r} decides no measure {ref['measure']!r}"]
    return []


def check(data: Any) -> list[str]:
    """Every problem of an exercise (schema first; cross-references only once the shapes are right)."""
    problems = schema_problems(data)
    return problems or reference_problems(data)


@dataclass(frozen=True)
class Exercise:
    """A checked exercise: the file's data, with the look-ups play needs."""

    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def roles(self) -> list[dict[str, Any]]:
        return self.data["roles"]

    @property
    def injects(self) -> list[dict[str, Any]]:
        return self.data["injects"]

    def role(self, role_id: str) -> dict[str, Any]:
        return next(r for r in self.roles if r["id"] == role_id)

    def inject(self, inject_id: str) -> dict[str, Any]:
        return next(i for i in self.injects if i["id"] == inject_id)

    def poll(self, poll_id: str) -> dict[str, Any] | None:
        return next((p for p in self.data.get("polls", []) if p["id"] == poll_id), None)

    def member_states(self) -> list[str]:
        return [r["id"] for r in self.roles if r["member_state"]]


def from_data(data: Any, source: str = "the exercise") -> Exercise:
    """An :class:`Exercise` from parsed data, or :class:`ExerciseError` listing every problem."""
    problems = check(data)
    if problems:
        raise ExerciseError(source, problems)
    return Exercise(data)


def parse(text: str, source: str = "the exercise") -> Exercise:
    """An exercise from the text of a YAML or JSON file (YAML is read safely: no tags, no objects)."""
    import yaml

    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ExerciseError(source, [f"(top level): the file is larger than {MAX_BYTES} bytes"])
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            # an alias repeats a node by reference: a few lines can stand for billions of nodes once expanded
            raise ExerciseError(source, ["(file): YAML anchors and aliases (&name, *name) are not allowed"])
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise ExerciseError(source, [f"{where}: not valid YAML ({getattr(err, 'problem', None) or err})"]) from None
    if isinstance(data, dict):
        # YAML reads unquoted dates as datetime.date: the schema wants the ISO text an author wrote
        data = json.loads(json.dumps(data, default=str))
    return from_data(data, source)


def load(path: str | Path) -> Exercise:
    """Read and check the exercise file at ``path``."""
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), str(path))


#: where a course keeps its tabletop exercises, under its root (the folder of its ``course.toml``)
COURSE_FOLDER = "tabletop"


def course_exercises() -> dict[str, Path]:
    """The course's exercises, by id (file stem): the files in ``tabletop/`` at the course root.

    The library ships none: the exercises are the course's content, found as its settings are
    (:func:`coursekit.core.settings.course_root`).
    """
    folder = course_root() / COURSE_FOLDER
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml", ".json")}
