"""The course data package: valid, internally consistent, faithful to FACTS.md, and loaded with proper dtypes.

Expected values here (dates, counts, names) are taken from /work/shared/FACTS.md, not from the tables.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from coursekit.core.settings import settings
from coursekit.data import datasets

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "coursekit" / "data"
PACKAGE = DATA / "datapackage.json"
COURSE_END = settings().end  # the course settings are the one home of the course dates
TABLES = {"instruments", "incidents", "attributions", "norms", "nis2_sectors", "eu_cyber_sanctions", "cbms"}


def _rows(name: str) -> list[dict[str, str]]:
    """Read a CSV straight from the source tree, independently of coursekit.data.datasets."""
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _ids(value: str) -> list[str]:
    return [x for x in value.split(";") if x] if value else []


def _d(value: str) -> date:
    return date.fromisoformat(value)


# --------------------------------------------------------------------------------------------- the package


def test_package_is_valid_frictionless():
    from frictionless import validate

    report = validate(str(PACKAGE))
    if not report.valid:
        problems = [(t.name, e.type, e.message) for t in report.tasks for e in t.errors]
        problems += [("package", e.type, e.message) for e in report.errors]
        pytest.fail("Data package is not valid:\n" + "\n".join(map(str, problems)))


def test_validation_catches_a_broken_foreign_key(tmp_path: Path):
    """The validation above is worth something only if it fails on bad data: break a reference and see."""
    from frictionless import validate

    for f in DATA.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    text = (tmp_path / "attributions.csv").read_text(encoding="utf-8")
    (tmp_path / "attributions.csv").write_text(text.replace(",wannacry,", ",no-such-incident,", 1), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e.type for t in report.tasks for e in t.errors}


def test_validation_catches_a_value_outside_an_enum(tmp_path: Path):
    from frictionless import validate

    for f in DATA.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    text = (tmp_path / "attributions.csv").read_text(encoding="utf-8")
    (tmp_path / "attributions.csv").write_text(text.replace(",statement,", ",rumour,", 1), encoding="utf-8")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_package_metadata():
    pkg = json.loads(PACKAGE.read_text(encoding="utf-8"))
    assert pkg["profile"] == "tabular-data-package"
    assert {r["name"] for r in pkg["resources"]} == TABLES
    assert "CC-BY-4.0" in {lic["name"] for lic in pkg["licenses"]}
    assert any("EUR-Lex" in lic.get("title", "") for lic in pkg["licenses"])
    assert pkg["sources"], "package-level sources are required"
    for res in pkg["resources"]:
        assert res["path"] == f"{res['name']}.csv"
        assert len(res["description"]) > 80, f"{res['name']}: write a real description"
        schema = res["schema"]
        assert schema["primaryKey"], res["name"]
        for fld in schema["fields"]:
            assert len(fld.get("description", "")) > 15, f"{res['name']}.{fld['name']} needs a description"
            assert fld["type"] in {"string", "date", "boolean", "integer", "number"}
        assert "source" in {f["name"] for f in schema["fields"]}, f"{res['name']} needs a source column"
    fks = {
        r["name"]: [(fk["fields"], fk["reference"]["resource"]) for fk in r["schema"].get("foreignKeys", [])]
        for r in pkg["resources"]
    }
    assert (["incident_id"], "incidents") in fks["attributions"]
    assert (["incident_id"], "incidents") in fks["eu_cyber_sanctions"]


def test_csv_files_are_packaged():
    """pyproject's package-data globs must cover every file of the package, and importlib.resources must find them."""
    from importlib import resources

    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["coursekit.data"]
    files = [p for p in DATA.iterdir() if p.is_file() and p.suffix != ".py"]  # the loader lives beside its data
    assert {p.name for p in files} == {f"{t}.csv" for t in TABLES} | {"datapackage.json"}
    for p in files:
        assert any(fnmatch.fnmatch(p.name, g) for g in globs), p.name
        assert resources.files("coursekit").joinpath("data", p.name).is_file()


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_row_has_a_source(name):
    rows = _rows(name)
    assert rows
    assert all(r["source"].strip() for r in rows), [r for r in rows if not r["source"].strip()]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_dates_respect_their_precision(name):
    """A month-precise date must be the 1st of the month, a year-precise one 1 January; an empty date has no precision."""
    for r in _rows(name):
        if "date_precision" not in r:
            continue
        value = r.get("date") or r.get("start_date") or ""
        prec = r["date_precision"]
        if not value:
            assert prec == "", r
            continue
        d = _d(value)
        assert prec in {"day", "month", "year"}, r
        if prec in {"month", "year"}:
            assert d.day == 1, r
        if prec == "year":
            assert d.month == 1, r


# --------------------------------------------------------------------------------------------- relations


def test_attributions_refer_to_incidents():
    incidents = {r["id"] for r in _rows("incidents")}
    for a in _rows("attributions"):
        assert a["incident_id"] in incidents, a


def test_attributed_flag_matches_attribution_rows():
    attributed = {a["incident_id"] for a in _rows("attributions")}
    for inc in _rows("incidents"):
        if inc["attributed"] == "true":
            assert inc["id"] in attributed, f"{inc['id']} is marked attributed but has no attribution row"
        else:
            assert inc["attributed"] == "false", inc
            assert inc["id"] not in attributed, f"{inc['id']} is marked unattributed but has attribution rows"


def test_no_government_attributed_estonia_or_stuxnet():
    incidents = {r["id"]: r for r in _rows("incidents")}
    attributed = {a["incident_id"] for a in _rows("attributions")}
    for iid in ("estonia-2007", "stuxnet"):
        assert incidents[iid]["attributed"] == "false"
        assert iid not in attributed


def test_attributions_come_after_the_incident():
    incidents = {r["id"]: r for r in _rows("incidents")}
    for a in _rows("attributions"):
        start = incidents[a["incident_id"]]["start_date"]
        if a["date"] and start:
            assert _d(a["date"]) >= _d(start), a


def test_norms_are_the_eleven_letters_and_cite_their_paragraph():
    norms = _rows("norms")
    assert [n["letter"] for n in norms] == list("abcdefghijk")
    for n in norms:
        assert n["source"] == f"A/70/174, para 13({n['letter']})"


def test_norm_related_incidents_exist():
    incidents = {r["id"] for r in _rows("incidents")}
    norms = {n["letter"]: n for n in _rows("norms")}
    for n in norms.values():
        for iid in _ids(n["related_incidents"]):
            assert iid in incidents, (n["letter"], iid)
    # Conservative links the course relies on: critical infrastructure and supply chain.
    assert {"ukraine-grid-2015", "notpetya"} <= set(_ids(norms["f"]["related_incidents"]))
    assert "solarwinds" in _ids(norms["i"]["related_incidents"])
    assert _ids(norms["k"]["related_incidents"]) == []


def test_norm_letters_cited_anywhere_are_a_to_k():
    import re

    pattern = re.compile(r"para(?:graph)? 13\s*\(([a-z])\)")
    for name in TABLES:
        for r in _rows(name):
            for value in r.values():
                for letter in pattern.findall(value or ""):
                    assert letter in "abcdefghijk", (name, value)


def test_sanctions_refer_to_incidents():
    incidents = {r["id"] for r in _rows("incidents")}
    for s in _rows("eu_cyber_sanctions"):
        if s["incident_id"]:
            assert s["incident_id"] in incidents, s
            assert s["incident_id"] in _ids(s["related_incidents"]), s
        for iid in _ids(s["related_incidents"]):
            assert iid in incidents, (s["id"], iid)


def test_every_sanctioned_incident_has_a_matching_eu_attribution():
    """A listing that cites an incident is an EU attribution of it, on the listing date."""
    eu = {(a["incident_id"], a["date"]) for a in _rows("attributions") if a["method"] == "sanction"}
    for s in _rows("eu_cyber_sanctions"):
        for iid in _ids(s["related_incidents"]):
            assert (iid, s["date_listed"]) in eu, (s["id"], iid)


# --------------------------------------------------------------------------------------------- instruments


def test_instrument_dates_are_plausible():
    for r in _rows("instruments"):
        d = _d(r["date"])
        assert d >= date(1998, 1, 1), r
        if d > date(2026, 12, 31):
            # Only a scheduled step written into an adopted law may lie further ahead (CRA: 11 Dec 2027).
            assert r["kind"] == "milestone" and d <= date(2028, 12, 31), r


def test_after_course_matches_the_date():
    for r in _rows("instruments"):
        assert r["after_course"] == ("true" if _d(r["date"]) > COURSE_END else "false"), r


def test_after_course_is_unambiguous_for_imprecise_dates():
    """A month or year that straddles the course would make after_course a guess: such rows must not exist."""
    for r in _rows("instruments"):
        d = _d(r["date"])
        end = {"day": d, "month": date(d.year, d.month, 28), "year": date(d.year, 12, 31)}[r["date_precision"]]
        assert (d > COURSE_END) == (end > COURSE_END), r


def test_instrument_topics_are_course_topics():
    for r in _rows("instruments"):
        topics = [int(t) for t in r["topics"].split(";")]
        assert topics and all(1 <= t <= 12 for t in topics), r
        assert len(topics) == len(set(topics)), r


# Sequences FACTS.md gives, each strictly in time order.
SEQUENCES = [
    ["budapest-convention-opened", "budapest-convention-in-force"],
    ["ets-189-opened", "ets-189-in-force"],
    ["cets-224-adopted", "cets-224-opened"],
    ["nis-directive-adopted", "nis-transposition-deadline", "nis-oes-identification-deadline"],
    [
        "nis2-political-agreement",
        "nis2-adopted",
        "nis2-in-force",
        "nis2-transposition-deadline",
        "nis2-applies",
        "nis2-entity-lists-deadline",
    ],
    ["cer-adopted", "cer-in-force", "cer-transposition-deadline", "cer-critical-entities-identified"],
    ["cybersecurity-act-adopted", "cybersecurity-act-in-force"],
    ["cra-in-force", "cra-vulnerability-reporting", "cra-full-application"],
    ["unga-74-247", "unga-79-243", "un-cybercrime-convention-opened"],
    ["iana-transition-announced", "iana-transition-completed"],
    ["hybrid-coe-mou", "hybrid-coe-inaugurated"],
    ["eccc-seat-chosen", "eccc-regulation-in-force", "eccc-headquarters-inaugurated"],
    ["cyber-diplomacy-toolbox", "toolbox-implementing-guidelines", "toolbox-guidelines-revised"],
    ["cyber-sanctions-decision", "cyber-sanctions-first-listings", "cyber-sanctions-second-listings"],
    ["osce-pc-decision-1106", "osce-pc-decision-1202"],
    ["unga-73-27", "oewg-2021-final-report", "unga-76-19", "oewg-2025-final-report", "global-mechanism-first-plenary"],
]


@pytest.mark.parametrize("sequence", SEQUENCES, ids=lambda s: s[0])
def test_instrument_steps_are_in_order(sequence):
    dates = {r["id"]: _d(r["date"]) for r in _rows("instruments")}
    missing = [i for i in sequence if i not in dates]
    assert not missing, missing
    for earlier, later in zip(sequence, sequence[1:]):
        assert dates[earlier] < dates[later], (earlier, dates[earlier], later, dates[later])


@pytest.mark.parametrize(
    "iid, expected",
    [
        ("budapest-convention-opened", "2001-11-23"),
        ("budapest-convention-in-force", "2004-07-01"),
        ("unga-70-237", "2015-12-23"),
        ("unga-76-19", "2021-12-06"),
        ("nis2-adopted", "2022-12-14"),
        ("nis2-in-force", "2023-01-16"),
        ("nis2-applies", "2024-10-18"),
        ("cyber-diplomacy-toolbox", "2017-06-19"),
        ("osce-pc-decision-1106", "2013-12-03"),
        ("osce-pc-decision-1202", "2016-03-10"),
        ("unga-79-243", "2024-12-24"),
        # adopted by the General Affairs Council on 10 Feb 2015; 11 Feb is only the date of doc 6122/15
        ("council-conclusions-cyber-diplomacy", "2015-02-10"),
        ("wcit-12", "2012-12-14"),
        ("igf-athens", "2006-10-30"),
    ],
)
def test_key_dates_match_facts(iid, expected):
    row = {r["id"]: r for r in _rows("instruments")}[iid]
    assert row["date"] == expected
    assert row["date_precision"] == "day"


def test_igf_and_itrs_rows_say_what_the_sources_say():
    rows = {r["id"]: r for r in _rows("instruments")}
    # Tunis Agenda para 72 asked the Secretary-General to convene the IGF; it did not create it
    assert "convene" in rows["wsis-tunis"]["title"] and "creat" not in rows["wsis-tunis"]["title"]
    assert "89" in rows["wcit-12"]["title"] and "55 did not" in rows["wcit-12"]["title"]


def test_opcw_operation_is_first_attributed_by_the_netherlands_and_the_uk_on_4_october_2018():
    opcw = sorted((a["date"], a["attributing_party"]) for a in _rows("attributions") if a["incident_id"] == "opcw-2018")
    assert opcw[0][0] == "2018-10-04"
    assert {party for date, party in opcw if date == "2018-10-04"} == {"Netherlands", "United Kingdom"}


def test_year_only_facts_are_not_given_false_precision():
    rows = {r["id"]: r for r in _rows("instruments")}
    for iid in ("unga-53-70", "gge-2010-report", "gge-2013-report", "gge-2015-report", "icann-founded"):
        assert rows[iid]["date_precision"] == "year", iid


def test_medium_confidence_rows_say_reported():
    for name in ("instruments", "incidents", "cbms"):
        for r in _rows(name):
            assert r["confidence"] in {"H", "M"}, r
            if r["confidence"] == "M":
                assert "reported" in r["source"], r


# --------------------------------------------------------------------------------------------- sanctions


def test_sanctions_listing_counts_match_facts():
    rows = _rows("eu_cyber_sanctions")

    def count(day, kind):
        return sum(1 for r in rows if r["date_listed"] == day and r["listing_type"] == kind)

    assert (count("2020-07-30", "person"), count("2020-07-30", "entity")) == (6, 3)
    assert (count("2020-10-22", "person"), count("2020-10-22", "entity")) == (2, 1)
    assert len(rows) == 12


def test_sanctions_legal_acts_match_facts():
    for r in _rows("eu_cyber_sanctions"):
        act = {
            "2020-07-30": "Implementing Regulation (EU) 2020/1125",
            "2020-10-22": "Implementing Regulation (EU) 2020/1536",
        }
        assert act[r["date_listed"]] in r["legal_act"], r


def test_sanctions_resource_records_the_regime_wide_count():
    res = datasets.describe("eu_cyber_sanctions")
    assert "17 persons and 4 entities" in res["description"]
    assert res["as_of_counts"]["persons"] == 17 and res["as_of_counts"]["entities"] == 4


# --------------------------------------------------------------------------------------------- NIS2 sectors and CBMs


def test_nis2_sector_counts_match_the_annexes():
    rows = _rows("nis2_sectors")
    annex_i = {r["sector"] for r in rows if r["annex"] == "I"}
    annex_ii = {r["sector"] for r in rows if r["annex"] == "II"}
    assert len(annex_i) == 11
    assert len(annex_ii) == 7
    assert not annex_i & annex_ii
    subs = lambda s: {r["subsector"] for r in rows if r["sector"] == s}  # noqa: E731
    assert len(subs("manufacturing")) == 6
    assert subs("digital providers") == {"online marketplaces", "online search engines", "social networking platforms"}


def test_nis1_flags_match_facts():
    rows = _rows("nis2_sectors")
    nis1_sectors = {
        "energy",
        "transport",
        "banking",
        "financial market infrastructures",
        "health",
        "drinking water",
        "digital infrastructure",
    }
    for r in rows:
        if r["sector"] == "digital providers":
            # NIS1 Annex III covered online marketplaces and search engines, not social networks.
            assert (r["in_nis1"] == "true") == (r["subsector"] != "social networking platforms"), r
        else:
            assert (r["in_nis1"] == "true") == (r["sector"] in nis1_sectors), r


def test_cer_flags_cover_the_eleven_cer_sectors():
    cer = {r["sector"] for r in _rows("nis2_sectors") if r["in_cer"] == "true"}
    assert len(cer) == 11
    assert "ICT service management (business-to-business)" not in cer
    assert "production, processing and distribution of food" in cer


def test_cbm_counts_match_facts():
    rows = _rows("cbms")

    def total(org):
        return sum(int(r["count"]) for r in rows if r["organisation"] == org and r["count"])

    assert total("OSCE") == 16
    assert total("OAS") == 6
    osce = {r["document"]: int(r["count"]) for r in rows if r["organisation"] == "OSCE"}
    assert osce == {"Permanent Council Decision No. 1106": 11, "Permanent Council Decision No. 1202": 5}


# --------------------------------------------------------------------------------------------- the loader


def test_names_are_sorted_and_complete():
    assert datasets.names() == sorted(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_load_gives_schema_dtypes(name):
    df = datasets.load(name)
    schema = datasets.describe(name)["schema"]
    assert list(df.columns) == [f["name"] for f in schema["fields"]]
    assert len(df) == len(_rows(name))
    for f in schema["fields"]:
        col = df[f["name"]]
        enum = f.get("constraints", {}).get("enum")
        if f["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(col), f["name"]
        elif f["type"] == "boolean":
            assert str(col.dtype) in {"bool", "boolean"}, f["name"]
        elif f["type"] == "integer":
            assert str(col.dtype) == "Int64", f["name"]
        elif enum:
            assert isinstance(col.dtype, pd.CategoricalDtype), f["name"]
            assert list(col.cat.categories) == enum, f["name"]
        else:
            assert pd.api.types.is_string_dtype(col), f["name"]


def test_load_values():
    inc = datasets.load("incidents").set_index("id")
    assert inc.loc["wannacry", "start_date"] == pd.Timestamp("2017-05-12")
    assert bool(inc.loc["wannacry", "attributed"]) is True
    assert bool(inc.loc["stuxnet", "attributed"]) is False
    assert pd.isna(inc.loc["cloud-hopper", "start_date"])
    cbms = datasets.load("cbms").set_index("id")
    assert cbms["count"].sum() == 16 + 6 + 2 + 1
    assert pd.isna(cbms.loc["oas-working-group", "count"])


def test_load_rejects_a_value_outside_the_enum(monkeypatch):
    original = datasets._read_text

    def tampered(name):
        text = original(name)
        return text.replace(",statement,", ",rumour,", 1) if name == "attributions" else text

    monkeypatch.setattr(datasets, "_read_text", tampered)
    with pytest.raises(ValueError, match="rumour"):
        datasets.load("attributions")


@pytest.mark.parametrize("call", [datasets.load, datasets.describe, datasets.rows])
def test_unknown_name_lists_known_names(call):
    with pytest.raises(datasets.UnknownDatasetError) as info:
        call("incidentz")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    message = str(info.value)
    assert "incidentz" in message
    for name in TABLES:
        assert name in message


def test_describe_and_package_return_copies():
    datasets.describe("norms")["description"] = "changed"
    datasets.package()["resources"].clear()
    assert datasets.describe("norms")["description"] != "changed"
    assert len(datasets.package()["resources"]) == len(TABLES)


def test_rows_match_the_csv():
    assert datasets.rows("norms") == _rows("norms")


def test_importing_coursekit_does_not_import_pandas():
    code = (
        "import sys, coursekit, coursekit.data.datasets, coursekit.topics.nis2\n"
        "coursekit.data.datasets.names(); coursekit.data.datasets.rows('norms'); coursekit.topics.nis2.sectors()\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
