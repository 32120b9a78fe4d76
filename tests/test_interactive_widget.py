"""The topic interactives' form base: values in, Python's result out, saved and restored through the store.

Driven the way the page drives it (the ``request`` trait, or :meth:`InteractiveForm.submit`), with a real
:class:`~coursekit.core.store.AnswerStore` in a temporary folder. The book's lookup key is computed by Python at
build time and by the page when a reader changes the form: a Node test runs the page's own ``formKey`` and
``formHash`` on generated values and compares them with :func:`book_key` and :func:`book_hash`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from node_page import NodePage

from coursekit.core.store import AnswerStore
from coursekit.render.interactive import (
    Button,
    Field,
    FormResult,
    FormSpec,
    InteractiveForm,
    book_form_html,
    book_hash,
    book_key,
)

SPEC = FormSpec(
    id="demo",
    title="Demo form",
    fields=(
        Field("country", "select", "Country:", ("A", "B")),
        Field("hours", "number", "Hours:", minimum=1, maximum=168, integer=True),
        Field("tools", "checkboxes", "Tools:", ("talks", "sanctions", "attribution")),
        Field("note", "textarea", "Note:", max_chars=50),
    ),
    buttons=(Button("run", "Run"),),
)
START = {"country": "A", "hours": 24, "tools": [], "note": ""}


def compute(values: dict, button: str | None) -> FormResult:
    """A result that depends on every value and on the button, so a test sees each one arrive."""
    return FormResult(
        f"<p>{values['country']}:{values['hours']}:{'+'.join(values['tools'])}:{len(values['note'])}:{button}</p>"
    )


def store_in(tmp_path: Path, **kw) -> AnswerStore:
    return AnswerStore(tmp_path / "answers.json", **kw)


def test_values_from_the_page_give_pythons_result():
    form = InteractiveForm(SPEC, compute, START, store=None)
    assert form.result["html"] == "<p>A:24::0:None</p>"
    form.request = {"values": {**START, "country": "B", "tools": ["attribution", "talks"]}, "button": "run", "seq": 1}
    assert form.result["html"] == "<p>B:24:talks+attribution:0:run</p>"  # checkboxes in the form's order
    assert form.values["tools"] == ["talks", "attribution"] and form.notice == ""


@pytest.mark.parametrize(
    "values, words",
    [
        ({**START, "hours": 0}, "Hours: enter a number from 1 to 168"),
        ({**START, "hours": 2.5}, "Hours: enter a whole number"),
        ({**START, "hours": float("nan")}, "Hours: enter a number"),
        ({**START, "country": "C"}, "'C' is not one of the options"),
        ({**START, "tools": ["bribes"]}, "'bribes' is not one of the options"),
        ({**START, "note": "x" * 51}, "at most 50 characters"),
        ({k: v for k, v in START.items() if k != "note"}, "Note: no value"),
        ({**START, "extra": 1}, "unknown field 'extra'"),
    ],
)
def test_a_bad_value_is_refused_in_words_and_the_last_result_stays(values, words):
    form = InteractiveForm(SPEC, compute, START, store=None)
    assert form.submit(values, "run") is None
    assert words in form.notice and form.notice.startswith("This entry was not used")
    assert form.result["html"] == "<p>A:24::0:None</p>" and form.values == START


def test_a_result_python_cannot_compute_is_a_notice_not_a_traceback():
    def fussy(values: dict, button: str | None) -> FormResult:
        if values["hours"] == 13:
            raise ValueError("13 hours is not modelled")
        return compute(values, button)

    form = InteractiveForm(SPEC, fussy, START, store=None)
    assert form.submit({**START, "hours": 13}) is None
    assert form.notice == "This entry could not be used: 13 hours is not modelled."
    assert form.values == START and form.result["html"] == "<p>A:24::0:None</p>"
    form.submit({**START, "hours": 12})
    assert form.notice == "" and form.result["html"] == "<p>A:12::0:None</p>"


def test_an_unknown_button_is_refused():
    form = InteractiveForm(SPEC, compute, START, store=None)
    assert form.submit(START, "delete") is None and "unknown button 'delete'" in form.notice


def test_saved_values_restore_in_a_new_kernel_in_the_stored_format(tmp_path):
    to_stored = lambda v: {"c": v["country"], "h": v["hours"], "t": v["tools"], "n": v["note"]}  # noqa: E731
    from_stored = lambda s: {"country": s["c"], "hours": s["h"], "tools": s["t"], "note": s["n"]}  # noqa: E731
    form = InteractiveForm(
        SPEC,
        compute,
        START,
        store_id="demo-form",
        store=store_in(tmp_path),
        to_stored=to_stored,
        from_stored=from_stored,
    )
    assert form.saved_at == ""
    form.submit({**START, "country": "B", "hours": 48}, "run")
    assert form.saved_at and form.notice == ""
    on_disk = json.loads((tmp_path / "answers.json").read_text())["answers"]["demo-form"]["value"]
    assert on_disk == {"c": "B", "h": 48, "t": [], "n": ""}
    again = InteractiveForm(
        SPEC,
        compute,
        START,
        store_id="demo-form",
        store=store_in(tmp_path),
        to_stored=to_stored,
        from_stored=from_stored,
    )
    assert again.values == {**START, "country": "B", "hours": 48} and again.saved_at == form.saved_at
    assert again.result["html"] == "<p>B:48::0:None</p>"


def test_a_refusal_notice_ends_with_the_next_good_entry_even_if_nothing_changed(tmp_path):
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=store_in(tmp_path))
    form.submit({**START, "hours": 5})
    form.submit({**START, "hours": 500})
    assert "from 1 to 168" in form.notice
    form.submit({**START, "hours": 5})  # the same values as saved: nothing to write
    assert form.notice == ""


def test_without_a_store_id_nothing_is_saved(tmp_path):
    form = InteractiveForm(SPEC, compute, START)
    form.submit({**START, "hours": 5})
    assert form.saved_at == "" and form.store is None


def test_read_only_under_grading_says_so_and_writes_nothing(tmp_path):
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=store_in(tmp_path, read_only=True))
    form.submit({**START, "hours": 5}, "run")
    assert form.result["html"] == "<p>A:5::0:run</p>"
    assert form.notice == "Read-only: answers are not saved while grading."
    assert not (tmp_path / "answers.json").exists()


def test_a_corrupt_answers_file_gives_a_notice_and_loses_nothing(tmp_path):
    good = {"value": "kept", "saved_at": "2026-01-01T00:00:00+00:00", "attempts": 1}
    raw = json.dumps(
        {"format": "coursekit-answers", "version": 1, "answers": {"t07-other": good, "demo-form": {"value": 1}}}
    )
    (tmp_path / "answers.json").write_text(raw)
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=store_in(tmp_path))
    assert "could not all be read" in form.notice and "1 saved answer(s) are damaged" in form.notice
    backups = list(tmp_path.glob("answers.json.unreadable-*"))
    assert [b.read_text() for b in backups] == [raw]  # the damaged file is kept byte for byte
    form.submit({**START, "hours": 7}, "run")
    answers = json.loads((tmp_path / "answers.json").read_text())["answers"]
    assert answers["t07-other"]["value"] == "kept" and answers["demo-form"]["value"]["hours"] == 7


def test_saved_values_that_no_longer_fit_start_from_the_example(tmp_path):
    store = store_in(tmp_path)
    store.save("demo-form", {**START, "country": "Atlantis"})
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=store)
    assert form.values == START and "no longer fit" in form.notice


def test_a_save_that_fails_is_reported(tmp_path):
    store = store_in(tmp_path)

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    store.save = refuse
    form = InteractiveForm(SPEC, compute, START, store_id="demo-form", store=store)
    form.submit({**START, "hours": 9})
    assert form.result["html"] == "<p>A:9::0:None</p>"
    assert (
        form.notice.startswith("Your answers are not being saved")
        and "(For your instructor: Permission denied.)" in form.notice
    )


def test_every_field_needs_a_label_and_a_known_kind():
    with pytest.raises(ValueError, match="needs a label"):
        Field("x", "select", " ")
    with pytest.raises(ValueError, match="kind must be one of"):
        Field("x", "slider", "X:")


def test_book_form_stores_each_result_once_and_every_key_finds_its_result():
    spec = FormSpec(
        id="b",
        title="B",
        fields=(
            Field("country", "select", "Country:", ("A", "B", "C")),
            Field("tools", "checkboxes", "Tools:", ("x", "y")),
        ),
    )
    every = [{"country": c, "tools": t} for c in "ABC" for t in ([], ["x"], ["y"], ["x", "y"])]
    page = book_form_html(
        spec, lambda v, _b: FormResult(f"<p>{len(v['tools'])}</p><p>same</p>"), every[0], every, "<p>walk</p>"
    )
    data = json.loads(page.split("class='coursekit-form-data'>")[1].split("</script>")[0])
    assert len(data["index"]) == 12 and len(data["results"]) == 3 and data["fragments"].count("<p>same</p>") == 1
    for v in every:
        entry = data["results"][data["index"][book_hash(book_key(spec, v))]]
        assert "".join(data["fragments"][i] for i in entry[1]) == f"<p>{len(v['tools'])}</p><p>same</p>"
    assert page.endswith("<p>walk</p></div>")


@pytest.fixture(scope="module")
def page():
    p = NodePage("form_key_driver.mjs")
    yield p
    p.close()


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # any text a select could hold
KEYED = FormSpec(
    id="k",
    title="K",
    fields=(
        Field("a", "select", "A:", follows="x"),
        Field("n", "number", "N:"),
        Field("c", "checkboxes", "C:", follows="x"),
        Field("t", "text", "T:"),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=TEXT,
    n=st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3))),
    c=st.lists(TEXT, max_size=3),
    t=TEXT,
)
@pytest.mark.slow
def test_the_pages_book_key_equals_pythons(page, a, n, c, t):
    values = {"a": a, "n": n, "c": c, "t": t}
    got = page.ask({"form": KEYED.spec(), "values": values})
    assert got["key"] == book_key(KEYED, values)
    assert got["hash"] == book_hash(book_key(KEYED, values))
