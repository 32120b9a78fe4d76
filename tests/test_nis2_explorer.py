"""The NIS2 classifier form of topic 8, driven headless the way a front end would drive it."""

from __future__ import annotations

import json
import re

import pytest

from coursekit.render.interactive import book_hash, book_key
from coursekit.topics.nis2 import SPECIAL_TYPES, sectors, subsectors
from coursekit.topics.nis2_explorer import (
    BOOK_SIZES,
    NO_SPECIAL,
    NO_SUBSECTOR,
    ClassifierForm,
    book_form_spec,
    compute,
    evaluate,
    examples_table,
)


def test_every_control_is_labelled():
    form = ClassifierForm()
    spec = form.widget.form
    assert [f["name"] for f in spec["fields"]] == ["sector", "subsector", "employees", "turnover", "balance", "special"]
    for field in spec["fields"]:
        assert field["label"].strip(), field
    assert [b["label"] for b in spec["buttons"]] == ["Classify"]


def test_large_hospital_is_essential_and_says_why_in_words():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    assert form.outcome.classification is not None
    assert form.outcome.classification.category == "essential"
    text = form.widget.result["html"]
    assert "Result: essential entity under NIS2." in text
    assert "Annex I" in text
    assert "ex ante" in text and "EUR 10 million" in text


def test_changing_inputs_updates_the_result_without_pressing_the_button():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    form.set(employees=80, turnover=12, balance=11)
    assert form.outcome.classification.category == "important"
    assert "Result: important entity under NIS2." in form.widget.result["html"]
    assert "EUR 7 million" in form.widget.result["html"]
    form.set(employees=10, turnover=2, balance=2)
    assert form.outcome.classification.category == "out of scope"
    assert "out of scope" in form.widget.result["html"]


def test_button_classifies_current_inputs():
    form = ClassifierForm(sector="research", employees=10, turnover_eur_m=1, balance_sheet_eur_m=1)
    assert form.outcome.classification.category == "out of scope"
    form.widget.request = {"values": {**form.values, "employees": 300}, "button": "classify", "seq": 1}  # the page
    assert form.outcome.classification.category == "important"  # Annex II: never essential on size alone
    assert "important entity" in form.widget.result["html"]


def test_subsectors_follow_the_sector():
    form = ClassifierForm(sector="energy")
    change = form.widget.result["fields"]["subsector"]
    assert change == {"options": [NO_SUBSECTOR], "value": NO_SUBSECTOR, "disabled": True}
    form.set(sector="manufacturing")
    change = form.widget.result["fields"]["subsector"]
    assert "medical devices" in change["options"] and not change["disabled"]
    assert form.values["subsector"] == "" and change["value"] == change["options"][0]
    form.set(subsector="machinery")
    assert form.widget.result["fields"]["subsector"]["value"] == "machinery"


def test_special_type_makes_small_entity_essential():
    form = ClassifierForm(sector="digital infrastructure", employees=5, turnover_eur_m=1, balance_sheet_eur_m=1)
    assert form.outcome.classification.category == "out of scope"
    form.set(special="DNS service provider")
    assert form.outcome.classification.category == "essential"
    assert "regardless of their size" in form.widget.result["html"]
    form.set(special=NO_SPECIAL)
    assert form.outcome.classification.category == "out of scope"


def test_impossible_combination_is_explained_not_raised():
    form = ClassifierForm(sector="energy", employees=5, turnover_eur_m=1, balance_sheet_eur_m=1)
    form.set(special="central government public administration")
    assert form.outcome.classification is None
    html = form.widget.result["html"]
    assert "could not be classified" in html and "public administration" in html
    assert "⚠" in html  # a symbol and words, not colour


def test_a_bad_number_is_refused_with_a_notice_and_keeps_the_last_result():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    before = form.widget.result
    assert form.set(employees=-3) is None
    assert "Employees (headcount)" in form.widget.notice and "0 to 10000000" in form.widget.notice
    assert form.widget.result == before and form.values["employees"] == 800


def _book_data(form: ClassifierForm) -> dict:
    return json.loads(
        re.search(
            r"<script type='application/json' class='coursekit-form-data'>(.*?)</script>", form.book_html(), re.S
        ).group(1)
    )


def test_book_form_has_every_combination_and_each_result_equals_the_classifier():
    data = _book_data(ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60))
    spec = book_form_spec()
    checked = 0
    for sector in sectors():
        for sub in ["", *(subsectors(sector) or [NO_SUBSECTOR])]:
            for size, (staff, turnover, balance) in BOOK_SIZES.items():
                for special in (NO_SPECIAL, *SPECIAL_TYPES):
                    values = {"sector": sector, "subsector": sub, "size": size, "special": special}
                    entry = data["results"][data["index"][book_hash(book_key(spec, values))]]
                    html = "".join(data["fragments"][i] for i in entry[1])
                    subsector = sub or (subsectors(sector) or [NO_SUBSECTOR])[0]
                    expected = evaluate(sector, subsector, staff, turnover, balance, special)
                    assert html == expected.html()
                    assert data["changes"][entry[0]]["subsector"]["value"] == subsector
                    checked += 1
    assert checked == len(data["index"])  # the example is one of the combinations
    assert data["values"]["size"] == next(k for k, v in BOOK_SIZES.items() if v == (800, 90.0, 60.0))


def test_book_page_stays_small():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    assert len(form._repr_mimebundle_()["text/html"].encode()) < 60_000


def test_evaluate_maps_placeholders_to_none():
    outcome = evaluate("energy", NO_SUBSECTOR, 300, 60, 50, NO_SPECIAL)
    assert outcome.classification.category == "essential"
    assert outcome.sentences()[0] == "Result: essential entity under NIS2."
    assert outcome.sentences()[-1].startswith("An essential entity is supervised")


def test_text_fallback_for_front_ends_without_widgets():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "NIS2 entity classifier" in bundle["text/html"] and "coursekit-form-data" in bundle["text/html"]
    assert "Result: essential entity under NIS2." in bundle["text/plain"]


def test_examples_table_one_row_per_case():
    table = examples_table(
        [
            {
                "name": "A",
                "sector": "health",
                "subsector": None,
                "employees": 800,
                "turnover_eur_m": 90,
                "balance_sheet_eur_m": 60,
            },
            {
                "name": "B",
                "sector": "postal and courier services",
                "subsector": None,
                "employees": 70,
                "turnover_eur_m": 8,
                "balance_sheet_eur_m": 5,
            },
            {
                "name": "C",
                "sector": "energy",
                "subsector": None,
                "employees": 3,
                "turnover_eur_m": 1,
                "balance_sheet_eur_m": 1,
                "special_type": "central government public administration",
            },
        ]
    )
    assert list(table["Entity"]) == ["A", "B", "C"]
    assert list(table["NIS2 category"]) == ["essential", "important", "not classified"]
    assert "public administration" in table.loc[2, "Decisive reason"]


@pytest.mark.slow
def test_the_pages_book_host_finds_pythons_result_for_every_combination():
    """The book's lookup as the page runs it (formKey, formHash, fragments joined) in Node, for every combination."""
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node")
    assert node, "Node.js is needed to run the page's renderer module"
    repo = Path(__file__).resolve().parents[1]
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    data = _book_data(form)
    combos = [
        {"sector": s, "subsector": sub, "size": size, "special": special}
        for s in sectors()
        for sub in ["", *(subsectors(s) or [NO_SUBSECTOR])]
        for size in BOOK_SIZES
        for special in (NO_SPECIAL, *SPECIAL_TYPES)
    ]
    combos.append({**combos[0], "subsector": "not a subsector"})  # not in the book: a notice, not a wrong result
    run = subprocess.run(
        [
            node,
            str(repo / "tests" / "js" / "book_form_driver.mjs"),
            str(repo / "src" / "coursekit" / "render" / "static" / "coursekit-exercise.js"),
        ],
        input=json.dumps({"data": data, "submits": combos}) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["start"]["html"] == form.outcome.html()
    for values, answer in zip(combos[:-1], out["answers"]):
        expected = compute(values)
        assert answer["result"] == expected.to_json() and answer["notice"] == "", values
    assert "result" not in out["answers"][-1] and "three example sizes" in out["answers"][-1]["notice"]
