"""The topic interactives as forms drawn by the one renderer (``static/coursekit-exercise.js``'s ``mountForm``).

Why: a topic's interactive (the NIS2 classifier, the cascade explorer, ...) is a form whose answer Python
computes. Drawing it with the same module as the exercises gives it the same labels, fieldsets, focus ring,
keyboard behaviour (``data-lm-suppress-shortcuts`` on every control) and one persistent live region, in
JupyterLab and in the book. The page only collects values: it sends them (and which button was pressed) in the
``request`` trait; :meth:`InteractiveForm.submit` checks them against the form, asks the interactive's
``compute`` function for the result and sends that back in ``result``. Values are saved through the answers
store when the interactive has a store id, with the same notices as :class:`~coursekit.render.widget.ExerciseWidget`
(read-only under grading, a store problem, a value that does not fit).

In the book (no kernel) a form whose inputs are finite carries results computed at build time, keyed by the
values (:func:`book_key`, equal to the page's ``formKey``); see :func:`book_form_html`.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import anywidget
import traitlets

from ..core.store import AnswerStore, cannot_save_message, get_store
from .spec import answer_ping, static_file

KINDS = ("select", "radio", "checkboxes", "text", "textarea", "number")
_READ_ONLY = "Read-only: answers are not saved while grading."
_UNFIT = "The saved entries no longer fit this form; the form starts from its example."


@dataclass(frozen=True)
class Field:
    """One labelled control of a form.

    ``dynamic``: its options come from results (e.g. a simulator's responses for the current round), so the
    compute function checks its value; results may give its options as ``{"value", "label"}`` pairs. ``follows``: the name of the field whose value sets this field's
    options (subsectors follow the sector): when that field changes, the page sends this one as "" and the
    compute function chooses (so the book can look it up). A radio group with nothing chosen sends None.
    """

    name: str
    kind: str
    label: str
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    integer: bool = False
    help: str = ""
    placeholder: str = ""
    max_chars: int = 5000
    follows: str = ""
    dynamic: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Field {self.name!r}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}.")
        if not self.label.strip():
            raise ValueError(f"Field {self.name!r} needs a label (every control is labelled).")
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "dynamic", self.dynamic or bool(self.follows))

    def spec(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind, "label": self.label}
        if self.kind in ("select", "radio", "checkboxes"):
            data["options"] = list(self.options)
        if self.kind == "number":
            data.update(minimum=self.minimum, maximum=self.maximum, step=self.step, integer=self.integer)
        if self.kind in ("text", "textarea"):
            data.update(placeholder=self.placeholder, max_chars=self.max_chars)
        if self.help:
            data["help"] = self.help
        if self.follows:
            data["follows"] = self.follows
        return data

    def clean(self, value: Any) -> Any:
        """``value`` as the form holds it, or ValueError saying in words what is wrong with it."""
        label = self.label.rstrip(": ")
        if self.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{label}: enter a number")
            if self.integer and value != int(value):
                raise ValueError(f"{label}: enter a whole number")
            low, high = self.minimum, self.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(
                    f"{label}: enter a number from {_js_text(low)} to {_js_text(high)}"
                    if low is not None and high is not None
                    else f"{label}: the number is out of range"
                )
            return int(value) if self.integer else float(value)
        if self.kind == "checkboxes":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{label}: expected a list of options")
            unknown = [v for v in value if v not in self.options]
            if unknown and not self.dynamic:
                raise ValueError(f"{label}: {unknown[0]!r} is not one of the options")
            return [o for o in self.options if o in value] if not self.dynamic else list(dict.fromkeys(value))
        if value is None and self.kind == "radio":
            return None
        if not isinstance(value, str):
            raise ValueError(f"{label}: expected text")
        if self.kind in ("select", "radio") and not self.dynamic and value not in self.options:
            raise ValueError(f"{label}: {value!r} is not one of the options")
        if len(value) > self.max_chars:
            raise ValueError(f"{label}: at most {self.max_chars} characters")
        return value


@dataclass(frozen=True)
class Button:
    """A button; ``confirm``: a question asked first (with Keep and Yes buttons), so one click never wipes work."""

    name: str
    label: str
    confirm: str = ""


@dataclass(frozen=True)
class FormSpec:
    """A form as JSON data for the page. ``live``: every change is sent at once (not only button presses)."""

    id: str
    title: str
    fields: tuple[Field, ...]
    buttons: tuple[Button, ...] = ()
    intro_html: str = ""
    live: bool = True

    def spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "intro_html": self.intro_html,
            "live": self.live,
            "fields": [f.spec() for f in self.fields],
            "buttons": [{"name": b.name, "label": b.label, "confirm": b.confirm} for b in self.buttons],
        }

    def clean(self, values: dict[str, Any], button: str | None = None) -> dict[str, Any]:
        """Every field's value checked (unknown names refused, missing ones an error), in field order."""
        if not isinstance(values, dict):
            raise ValueError("the form sent no values")
        known = {f.name for f in self.fields}
        extra = sorted(set(values) - known)
        if extra:
            raise ValueError(f"unknown field {extra[0]!r}")
        missing = [f.label.rstrip(": ") for f in self.fields if f.name not in values]
        if missing:
            raise ValueError(f"{missing[0]}: no value")
        if button is not None and button not in {b.name for b in self.buttons}:
            raise ValueError(f"unknown button {button!r}")
        return {f.name: f.clean(values[f.name]) for f in self.fields}


@dataclass
class FormResult:
    """What the page shows, as HTML the interactive escaped itself: ``html`` in the live region below the
    buttons (what a screen reader announces), ``context_html`` above the fields (not announced: a situation,
    a history); ``fields`` changes fields (``{name: {options, value, disabled}}``, e.g. subsectors that
    follow a sector) and ``buttons`` buttons (``{name: {disabled}}``)."""

    html: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    context_html: str | None = None
    buttons: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"html": self.html, "fields": self.fields}
        if self.context_html is not None:
            data["context_html"] = self.context_html
        if self.buttons:
            data["buttons"] = self.buttons
        return data


Compute = Callable[[dict[str, Any], "str | None"], FormResult]


class InteractiveForm(anywidget.AnyWidget):
    """A topic interactive's live form: the page sends values, ``compute`` (Python) answers.

    ``store_id``: save the values under this id in the answers store (``to_stored``/``from_stored`` convert
    to and from the stored JSON, so an interactive keeps its old stored format). Without it nothing is saved.
    Building it only creates objects and runs ``compute`` once, so notebooks run headless.
    """

    _esm = static_file("coursekit-exercise.js")
    _css = static_file("coursekit-exercise.css")
    form = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    request = traitlets.Dict().tag(sync=True)
    result = traitlets.Dict().tag(sync=True)
    saved_at = traitlets.Unicode("").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        spec: FormSpec,
        compute: Compute,
        values: dict[str, Any],
        *,
        store_id: str | None = None,
        store: AnswerStore | None = None,
        to_stored: Callable[[dict[str, Any]], Any] | None = None,
        from_stored: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.spec_, self.compute, self.store_id = spec, compute, store_id
        self.to_stored = to_stored or (lambda v: v)
        self.from_stored = from_stored or (lambda v: v)
        self.store = (store if store is not None else get_store()) if store_id else None
        start, saved_at, notice = spec.clean(values), "", ""
        if self.store is not None:
            notice = self.store.problem or ""
            saved = self.store.get(store_id) if store_id else None
            if saved is not None:
                try:
                    start, saved_at = spec.clean(self.from_stored(saved.value)), saved.saved_at
                except (ValueError, TypeError, KeyError, AttributeError):
                    notice = _UNFIT
        first = compute(start, None)
        super().__init__(form=spec.spec(), values=start, result=first.to_json(), saved_at=saved_at, notice=notice)
        self.observe(self._requested, names="request")
        self.on_msg(answer_ping)

    def _requested(self, change: dict[str, Any]) -> None:
        request = change["new"] or {}
        self.submit(request.get("values"), request.get("button"))

    def submit(self, values: Any, button: str | None = None) -> FormResult | None:
        """What the page does: check ``values``, compute and show the result, save; None if refused (see notice)."""
        try:
            clean = self.spec_.clean(values, button)
        except ValueError as err:
            self.notice = f"This entry was not used: {err}."
            return None
        try:
            result = self.compute(clean, button)
        except (ValueError, TypeError, KeyError) as err:  # words for the participant, never a silent traceback
            self.notice = f"This entry could not be used: {err}."
            return None
        self.values, self.result = clean, result.to_json()
        self.notice = self._save(clean)
        return result

    def _save(self, values: dict[str, Any]) -> str:
        if self.store is None or self.store_id is None:
            return ""
        stored = self.to_stored(values)
        previous = self.store.get(self.store_id)
        if previous is not None and previous.value == stored:
            # nothing new to save; an earlier refusal is over, a problem with the answers file is not
            return _READ_ONLY if self.store.read_only else (self.store.problem or "")
        try:
            saved = self.store.save(self.store_id, stored)
        except OSError as err:
            return cannot_save_message(err)
        self.saved_at = saved.saved_at
        return _READ_ONLY if self.store.read_only else (self.store.problem or "")


def _js_text(value: Any) -> str:
    """A value as the page's ``String(value)`` writes it (for the book's lookup keys)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def book_key(spec: FormSpec, values: dict[str, Any]) -> str:
    """The lookup key of ``values`` in the book: equal to ``formKey`` in ``coursekit-exercise.js`` (tested)."""
    parts = []
    for f in spec.fields:
        v = values.get(f.name)
        parts.append(
            "\u001e".join(map(_js_text, v)) if isinstance(v, (list, tuple)) else "" if v is None else _js_text(v)
        )
    return "\u001f".join(parts)


def book_hash(key: str) -> str:
    """A short name for a lookup key (FNV-1a over UTF-16 code units): the page's ``formHash`` (tested equal)."""
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def book_form_html(
    spec: FormSpec,
    compute: Compute,
    start: dict[str, Any],
    every: Iterable[dict[str, Any]],
    walkthrough: str,
    missing: str = "",
) -> str:
    """The book's live form: results for every set of values in ``every``, computed now, looked up on the page.

    Why the packing: a form with a few hundred value combinations would weigh half a megabyte as plain
    results. Results share most of their HTML (the same reasons, the same consequences), so each result is
    stored as a list of HTML fragments (split between tags, each fragment stored once) plus its field changes
    (stored once each), and keys are short hashes (a collision is refused here). ``walkthrough`` is shown to
    readers without JavaScript and hidden once the form is drawn.
    """
    fragments: dict[str, int] = {}
    changes: dict[str, int] = {}
    packed: dict[str, int] = {}
    results: list[list[Any]] = []
    index: dict[str, int] = {}
    keys: dict[str, str] = {}
    for values in [start, *every]:
        clean = spec.clean(values)
        key = book_key(spec, clean)
        name = book_hash(key)
        if keys.setdefault(name, key) != key:
            raise ValueError(f"two book keys share the hash {name}: {key!r} and {keys[name]!r}")
        if name in index:
            continue
        result = compute(clean, None)
        parts = [fragments.setdefault(p, len(fragments)) for p in re.split(r"(?<=>)(?=<)", result.html) if p]
        entry = [changes.setdefault(json.dumps(result.fields, ensure_ascii=False, sort_keys=True), len(changes)), parts]
        index[name] = packed.setdefault(json.dumps(entry), len(results))
        if index[name] == len(results):
            results.append(entry)
    data = {
        "form": spec.spec(),
        "values": spec.clean(start),
        "fragments": list(fragments),
        "changes": [json.loads(c) for c in changes],
        "results": results,
        "index": index,
        "missing": missing or "The book has results for the listed choices only; open the notebook for more.",
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        f"<div class='coursekit-book-form' data-coursekit-form='{html.escape(spec.id, quote=True)}'>"
        f"<script type='application/json' class='coursekit-form-data'>{text}</script>{walkthrough}</div>"
    )
