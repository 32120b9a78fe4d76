"""The NIS2 classifier form of topic 8, driven headless the way a front end would drive it."""

from __future__ import annotations

import ipywidgets as w

from coursekit.nis2_explorer import NO_SPECIAL, NO_SUBSECTOR, ClassifierForm, evaluate, examples_table


def controls(form: ClassifierForm) -> list[w.Widget]:
    return [form.sector, form.subsector, form.employees, form.turnover, form.balance, form.special, form.button]


def test_every_control_is_labelled():
    form = ClassifierForm()
    for control in controls(form):
        assert control.description.strip(), control


def test_large_hospital_is_essential_and_says_why_in_words():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    assert form.outcome.classification is not None
    assert form.outcome.classification.category == "essential"
    text = form.result.value
    assert "Result: essential entity under NIS2." in text
    assert "Annex I" in text
    assert "ex ante" in text and "EUR 10 million" in text


def test_changing_inputs_updates_the_result_without_pressing_the_button():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    form.employees.value = 80
    form.turnover.value = 12
    form.balance.value = 11
    assert form.outcome.classification.category == "important"
    assert "Result: important entity under NIS2." in form.result.value
    assert "EUR 7 million" in form.result.value
    form.employees.value = 10
    form.turnover.value = 2
    form.balance.value = 2
    assert form.outcome.classification.category == "out of scope"
    assert "out of scope" in form.result.value


def test_button_classifies_current_inputs():
    form = ClassifierForm(sector="research", employees=10, turnover_eur_m=1, balance_sheet_eur_m=1)
    assert form.outcome.classification.category == "out of scope"
    form.employees.unobserve_all()  # simulate a front end that only reports on the button press
    form.employees.value = 300
    form.button.click()
    assert form.outcome.classification.category == "important"  # Annex II: never essential on size alone


def test_subsectors_follow_the_sector():
    form = ClassifierForm(sector="energy")
    assert form.subsector.options == (NO_SUBSECTOR,)
    assert form.subsector.disabled
    form.sector.value = "manufacturing"
    assert "medical devices" in form.subsector.options
    assert not form.subsector.disabled
    assert form.subsector.value in form.subsector.options


def test_special_type_makes_small_entity_essential():
    form = ClassifierForm(sector="digital infrastructure", employees=5, turnover_eur_m=1, balance_sheet_eur_m=1)
    assert form.outcome.classification.category == "out of scope"
    form.special.value = "DNS service provider"
    assert form.outcome.classification.category == "essential"
    assert "regardless of their size" in form.result.value
    form.special.value = NO_SPECIAL
    assert form.outcome.classification.category == "out of scope"


def test_impossible_combination_is_explained_not_raised():
    form = ClassifierForm(sector="energy", employees=5, turnover_eur_m=1, balance_sheet_eur_m=1)
    form.special.value = "central government public administration"
    assert form.outcome.classification is None
    assert "could not be classified" in form.result.value
    assert "public administration" in form.result.value
    assert "⚠" in form.result.value  # a symbol and words, not colour


def test_evaluate_maps_placeholders_to_none():
    outcome = evaluate("energy", NO_SUBSECTOR, 300, 60, 50, NO_SPECIAL)
    assert outcome.classification.category == "essential"
    assert outcome.sentences()[0] == "Result: essential entity under NIS2."
    assert outcome.sentences()[-1].startswith("An essential entity is supervised")


def test_text_fallback_for_front_ends_without_widgets():
    form = ClassifierForm(sector="health", employees=800, turnover_eur_m=90, balance_sheet_eur_m=60)
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "Result: essential entity under NIS2." in bundle["text/plain"]


def test_examples_table_one_row_per_case():
    table = examples_table([
        {"name": "A", "sector": "health", "subsector": None, "employees": 800, "turnover_eur_m": 90,
         "balance_sheet_eur_m": 60},
        {"name": "B", "sector": "postal and courier services", "subsector": None, "employees": 70,
         "turnover_eur_m": 8, "balance_sheet_eur_m": 5},
        {"name": "C", "sector": "energy", "subsector": None, "employees": 3, "turnover_eur_m": 1,
         "balance_sheet_eur_m": 1, "special_type": "central government public administration"},
    ])
    assert list(table["Entity"]) == ["A", "B", "C"]
    assert list(table["NIS2 category"]) == ["essential", "important", "not classified"]
    assert "public administration" in table.loc[2, "Decisive reason"]
