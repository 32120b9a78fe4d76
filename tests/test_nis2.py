"""The NIS2 entity classifier, on the cases the Directive and Recommendation 2003/361/EC name."""

from __future__ import annotations

import dataclasses

import pytest

from coursekit.topics.nis2 import SPECIAL_TYPES, Classification, classify, sectors, size_class, subsectors

ANNEX_I = [
    "energy",
    "transport",
    "banking",
    "financial market infrastructures",
    "health",
    "drinking water",
    "waste water",
    "digital infrastructure",
    "ICT service management (business-to-business)",
    "public administration",
    "space",
]
ANNEX_II = [
    "postal and courier services",
    "waste management",
    "manufacture, production and distribution of chemicals",
    "production, processing and distribution of food",
    "manufacturing",
    "digital providers",
    "research",
]

LARGE = dict(employees=1000, turnover_eur_m=500.0, balance_sheet_eur_m=400.0)
MEDIUM = dict(employees=120, turnover_eur_m=20.0, balance_sheet_eur_m=15.0)
SMALL = dict(employees=12, turnover_eur_m=2.0, balance_sheet_eur_m=1.5)


def test_sectors_are_the_annex_sectors():
    assert sectors() == ANNEX_I + ANNEX_II


def test_subsectors():
    assert len(subsectors("manufacturing")) == 6
    assert "medical devices" in subsectors("manufacturing")
    assert subsectors("energy") == []


def test_large_energy_company_is_essential():
    c = classify("energy", None, **LARGE)
    assert c.category == "essential"
    assert c.annex == "I" and c.size == "large"
    text = " ".join(c.reasons)
    assert "Annex I" in text and "Art. 3" in text and "2003/361/EC" in text


def test_medium_energy_company_is_important():
    c = classify("energy", None, **MEDIUM)
    assert c.category == "important"
    assert c.size == "medium"


def test_large_food_producer_is_important_not_essential():
    c = classify("production, processing and distribution of food", None, **LARGE)
    assert c.category == "important"
    assert c.annex == "II"
    assert "Annex II" in " ".join(c.reasons)


def test_medium_annex_ii_entity_is_important():
    assert classify("research", None, **MEDIUM).category == "important"


def test_small_manufacturer_is_out_of_scope():
    c = classify("manufacturing", "machinery", **SMALL)
    assert c.category == "out of scope"
    assert c.size == "micro or small"
    assert "machinery" in c.reasons[0]


def test_small_annex_i_entity_is_out_of_scope():
    assert classify("transport", None, **SMALL).category == "out of scope"


def test_small_dns_provider_is_essential():
    c = classify("digital infrastructure", None, **SMALL, special_type="DNS service provider")
    assert c.category == "essential"
    assert any("DNS service providers" in r and "regardless of their size" in r for r in c.reasons)


@pytest.mark.parametrize("employees", [0, 3, 49, 50, 249, 250, 10_000])
def test_qualified_trust_service_provider_is_essential_at_any_size(employees):
    c = classify("digital infrastructure", None, employees, 0.5, 0.5, special_type="qualified trust service provider")
    assert c.category == "essential"


@pytest.mark.parametrize("special", ["top-level domain name registry", "CER critical entity"])
def test_other_size_independent_cases_are_essential(special):
    assert classify("digital infrastructure", None, **SMALL, special_type=special).category == "essential"


def test_small_central_government_entity_is_essential():
    c = classify("public administration", None, **SMALL, special_type="central government public administration")
    assert c.category == "essential"


def test_small_cer_critical_food_producer_is_essential():
    """Food is an Annex II sector but one of the CER sectors: a CER critical entity there is essential."""
    c = classify("production, processing and distribution of food", None, **SMALL, special_type="CER critical entity")
    assert c.category == "essential"


def test_cer_critical_entity_outside_cer_sectors_is_rejected():
    with pytest.raises(ValueError, match="CER"):
        classify("research", None, **SMALL, special_type="CER critical entity")


def test_central_government_outside_public_administration_is_rejected():
    with pytest.raises(ValueError, match="public administration"):
        classify("energy", None, **SMALL, special_type="central government public administration")


def test_public_electronic_communications_is_not_a_special_type():
    """FACTS.md does not name this size-independent case, so the classifier must not invent it."""
    assert "public electronic communications provider" not in SPECIAL_TYPES
    with pytest.raises(ValueError, match="qualified trust service provider"):
        classify("digital infrastructure", None, **SMALL, special_type="public electronic communications provider")


@pytest.mark.parametrize(
    "employees, expected",
    [(49, "out of scope"), (50, "important"), (249, "important"), (250, "essential")],
)
def test_headcount_boundaries_in_annex_i(employees, expected):
    assert classify("health", None, employees, 1.0, 1.0).category == expected


@pytest.mark.parametrize(
    "employees, expected",
    [(49, "out of scope"), (50, "important"), (249, "important"), (250, "important")],
)
def test_headcount_boundaries_in_annex_ii(employees, expected):
    assert classify("waste management", None, employees, 1.0, 1.0).category == expected


@pytest.mark.parametrize(
    "turnover, balance, expected",
    [
        (10.0, 50.0, "micro or small"),  # turnover not above 10
        (10.1, 10.0, "micro or small"),  # balance sheet not above 10
        (10.1, 10.1, "medium"),  # both above 10
        (50.0, 100.0, "medium"),  # turnover not above 50
        (60.0, 43.0, "medium"),  # balance sheet not above 43
        (50.1, 43.1, "large"),  # both above the large ceilings
    ],
)
def test_financial_thresholds(turnover, balance, expected):
    assert size_class(10, turnover, balance) == expected


def test_financial_thresholds_drive_the_category():
    assert classify("energy", None, 10, 60.0, 50.0).category == "essential"
    assert classify("energy", None, 10, 60.0, 20.0).category == "important"


def test_unknown_sector_lists_known_sectors():
    with pytest.raises(ValueError) as info:
        classify("fisheries", None, **LARGE)
    message = str(info.value)
    assert "fisheries" in message
    for s in ANNEX_I + ANNEX_II:
        assert s in message


def test_unknown_subsector_is_rejected():
    with pytest.raises(ValueError, match="medical devices"):
        classify("manufacturing", "textiles", **LARGE)


def test_sector_names_are_forgiving_about_case_and_spaces():
    assert classify("  Energy ", None, **LARGE).category == "essential"


@pytest.mark.parametrize(
    "args, error",
    [
        ((-1, 1.0, 1.0), ValueError),
        ((10, -1.0, 1.0), ValueError),
        ((10, 1.0, float("nan")), ValueError),
        ((10.5, 1.0, 1.0), TypeError),
        ((True, 1.0, 1.0), TypeError),
    ],
)
def test_bad_sizes_are_rejected(args, error):
    with pytest.raises(error):
        classify("energy", None, *args)


def test_classification_is_frozen_with_sentences():
    c = classify("energy", None, **LARGE)
    assert isinstance(c, Classification)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.category = "important"  # type: ignore[misc]
    assert all(r.endswith(".") and r[0].isupper() for r in c.reasons)
