"""The figures and tables the topic notebooks show, now built in ``coursekit.topics``: what a reader sees.

Expected values are recomputed here from the course's data sets, never copied from the code under test.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from coursekit.data import datasets  # noqa: E402
from coursekit.topics import (
    capacity_figures,
    infrastructure_figures,
    law_figures,
    nis2_figures,
    norms_figures,
    stability_figures,
    threats_figures,
    toolbox_figures,
)  # noqa: E402
from coursekit.topics.milestones import milestones  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _figures_yaml(topic: str) -> dict:
    """A topic's figures.yaml as the author wrote it (the selections the figures must follow)."""
    return yaml.safe_load((REPO / "notebooks" / topic / "figures.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --- topic 11 ---------------------------------------------------------------------------------------------


def test_sanctions_table_has_one_row_per_listing_with_its_incident():
    sanctions = datasets.load("eu_cyber_sanctions")
    incidents = datasets.load("incidents").set_index("id")["name"]
    frame, caption = toolbox_figures.sanctions_table()
    assert sorted(frame["Person or entity"]) == sorted(sanctions["name"])
    linked = dict(zip(frame["Person or entity"], frame["Main linked incident"]))
    for _, row in sanctions.iterrows():
        assert linked[row["name"]] == incidents[row["incident_id"]]
    assert sanctions["as_of"].max().strftime("%d %B %Y") in caption


def test_listings_chart_alt_text_gives_every_incident_its_counts():
    sanctions = datasets.load("eu_cyber_sanctions")
    names = datasets.load("incidents").set_index("id")["name"]
    fig, alt, caption = toolbox_figures.listings_chart()
    for incident_id, group in sanctions.groupby("incident_id"):
        persons = int((group["listing_type"] == "person").sum())
        entities = int((group["listing_type"] == "entity").sum())
        parts = [_plural(persons, "person")] if persons else []
        parts += [_plural(entities, "entity").replace("entitys", "entities")] if entities else []
        assert f"{names[incident_id]}: {' and '.join(parts)}" in alt
    hatched = [bar for bar in fig.axes[0].patches if bar.get_hatch() == "//"]
    assert sum(bar.get_width() for bar in hatched) == (sanctions["listing_type"] == "entity").sum()


def test_listing_delay_table_covers_every_incident_the_eu_listed_with_its_listing_date():
    attributions = datasets.load("attributions")
    listed = attributions[
        (attributions["attributing_party"] == "European Union") & (attributions["method"] == "sanction")
    ]
    names = datasets.load("incidents").set_index("id")["name"]
    frame, _ = toolbox_figures.listing_delay_table()
    expected = {names[i]: f"{d:%d %b %Y}" for i, d in listed.groupby("incident_id")["date"].min().items()}
    assert dict(zip(frame["Incident"], frame["EU listing"])) == expected


# --- topic 9 ----------------------------------------------------------------------------------------------


def test_attribution_cases_table_names_the_earliest_attributing_party_of_each_case():
    incidents = datasets.load("incidents").set_index("id")
    attributions = datasets.load("attributions").dropna(subset=["date"])
    frame, _ = infrastructure_figures.attribution_cases_table()
    assert list(frame["Case"]) == [incidents.loc[case, "name"] for case in infrastructure_figures.CASES]
    for case, text in zip(infrastructure_figures.CASES, frame["First public attribution in the data"]):
        mine = attributions[attributions["incident_id"] == case]
        earliest = mine[mine["date"] == mine["date"].min()]
        assert all(party in text for party in earliest["attributing_party"])
        assert mine["date"].min().strftime("%Y") in text


def test_attribution_lag_chart_alt_text_gives_each_case_and_its_gap_in_days():
    incidents = datasets.load("incidents").set_index("id")
    attributions = datasets.load("attributions").dropna(subset=["date"])
    _, alt, _ = infrastructure_figures.attribution_lag_chart()
    for case in infrastructure_figures.CASES:
        first = attributions.loc[attributions["incident_id"] == case, "date"].min()
        days = (first - incidents.loc[case, "start_date"]).days
        assert incidents.loc[case, "name"] in alt
        assert f"{first:%B %Y}, {days} days" in alt


def test_nis_coverage_table_has_every_sector_once_and_partly_only_where_nis1_covered_some_subsectors():
    sectors = datasets.load("nis2_sectors")
    frame, caption = infrastructure_figures.nis_coverage_table()
    assert sorted(frame["Sector (NIS2 wording)"]) == sorted(sectors["sector"].unique())
    coverage = dict(zip(frame["Sector (NIS2 wording)"], frame["Also under NIS1 (2016)"]))
    for sector, rows in sectors.groupby("sector"):
        share = rows["in_nis1"].mean()
        assert coverage[sector] == ("yes" if share == 1 else "no" if share == 0 else "partly")
    assert f"{sectors.drop_duplicates('sector')['in_cer'].sum()} CER sectors" in caption


# --- topic 8 ----------------------------------------------------------------------------------------------


def _nis1_status_by_sector() -> dict[tuple[str, str], str]:
    sectors = datasets.load("nis2_sectors")
    status = {}
    for (annex, sector), rows in sectors.groupby(["annex", "sector"], observed=True):
        share = rows["in_nis1"].mean()
        status[(str(annex), sector)] = (
            "covered by NIS1" if share == 1 else "new in NIS2" if share == 0 else "partly covered by NIS1"
        )
    return status


def test_sector_chart_alt_text_counts_each_annex_by_status_and_uses_hatching():
    status = _nis1_status_by_sector()
    fig, alt, _ = nis2_figures.sector_chart()
    for annex in sorted({a for a, _ in status}):
        counts = [sum(1 for (a, _), s in status.items() if a == annex and s == name) for name in nis2_figures.STATUSES]
        expected = ", ".join(f"{n} {name}" for n, name in zip(counts, nis2_figures.STATUSES))
        assert f"Annex {annex}: {expected}." in alt
    hatches = {bar.get_hatch() or "" for bar in fig.axes[0].patches}
    assert len(hatches) == 3  # the three statuses differ by pattern, not by colour alone


def test_sector_table_lists_every_sector_with_its_nis1_status():
    frame, _ = nis2_figures.sector_table()
    shown = {(str(a), s): c for a, s, c in zip(frame["Annex"], frame["Sector"], frame["NIS1 coverage"])}
    assert shown == _nis1_status_by_sector()


def test_water_utility_deadlines_table_dates_the_notification_and_final_report_from_the_scenario():
    from datetime import timedelta

    frame, caption = nis2_figures.water_utility_deadlines_table()
    due = dict(zip(frame["Report"], frame["Due by"]))
    aware, notified = nis2_figures.WATER_UTILITY_AWARE, nis2_figures.WATER_UTILITY_NOTIFIED
    assert due["Early warning"] == f"{aware + timedelta(hours=24):%a %d %b %Y, %H:%M}"
    assert due["Incident notification"] == f"{aware + timedelta(hours=72):%a %d %b %Y, %H:%M}"
    assert due["Final report"] == f"{notified.replace(month=notified.month + 1):%a %d %b %Y, %H:%M}"
    assert f"aware: {aware:%a %d %b %Y, %H:%M}" in caption
    assert f"notification sent: {notified:%a %d %b %Y, %H:%M}" in caption


# --- topic 12 ---------------------------------------------------------------------------------------------


def test_cbms_table_totals_the_measures_of_each_organisation_from_the_data():
    cbms = datasets.load("cbms")
    frame, _ = stability_figures.cbms_by_organisation_table()
    expected = {
        stability_figures.ORGANISATION_NAMES[str(org)]: int(rows["count"].sum())
        for org, rows in cbms.groupby("organisation", observed=True)
    }
    assert dict(zip(frame["Organisation"], frame["Measures recorded"])) == expected
    for document in cbms["document"].unique():
        assert frame["Documents"].str.contains(document, regex=False).any()


def test_cbm_milestones_chart_marks_every_post_course_milestone_as_an_update_in_figure_and_alt_text():
    instruments = datasets.load("instruments")
    labels = _figures_yaml("12-stability-cbms")["milestones"]["cbm-timeline"]["select"]["ids"]
    shown = instruments[instruments["id"].isin(labels)]
    assert len(shown) == len(labels)  # no milestone id missing from the data set
    fig, alt, _ = milestones("12-stability-cbms", "cbm-timeline")
    texts = [t.get_text().replace("\n", " ") for t in fig.findobj(matplotlib.text.Text)]
    for _, row in shown.iterrows():
        label = labels[row["id"]]
        if row["date"] > pd.Timestamp("2022-05-20"):
            assert f"{label} (update)" in texts
            assert f"{row['date']:%B %Y}" in alt
        else:
            assert label in texts


# --- topic 10 ---------------------------------------------------------------------------------------------


def _topic_10_instruments():
    instruments = datasets.load("instruments")
    return instruments[[("10" in str(t).split(";")) for t in instruments["topics"]]]


def test_hybrid_instruments_table_has_each_topic_instrument_once_with_updates_and_hedges_marked():
    mine = _topic_10_instruments()
    frame, _ = milestones("10-hybrid-threats", "table")
    assert len(frame) == len(mine)
    assert (frame["After the course"] == "yes, update").sum() == int(mine["after_course"].sum())
    assert frame["What"].str.endswith("(as reported)").sum() == int((mine["confidence"] == "M").sum())
    assert list(frame["Date"].str[-4:].astype(int)) == sorted(mine["date"].dt.year)


def test_hybrid_instruments_chart_alt_text_counts_the_instruments_and_flags_each_later_one():
    mine = _topic_10_instruments()
    _, alt, _ = milestones("10-hybrid-threats", "chart")
    assert alt.startswith(f"Timeline of {len(mine)} instruments")
    assert alt.count("(after the course)") == int(mine["after_course"].sum())
    for _, row in mine.iterrows():
        assert (
            row["symbol"] if isinstance(row["symbol"], str) and not row["symbol"][0].isdigit() else row["title"]
        ) in alt


# --- topics 1 and 2 (timelines) ---------------------------------------------------------------------------


def _texts(fig) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in fig.findobj(matplotlib.text.Text) if t.get_visible()]


def test_un_milestones_timeline_counts_known_and_later_items_as_the_data_set_does():
    instruments = datasets.load("instruments")
    un = instruments[
        [str(b).startswith("UN") and c == "H" for b, c in zip(instruments["body"], instruments["confidence"])]
    ]
    later = int(un["after_course"].sum())
    fig, alt, _ = milestones("01-introduction", "un-timeline")
    assert f"the {len(un) - later} items known at the course" in alt
    assert f"mark {later} later items" in alt
    assert sum(text.endswith("(update)") for text in _texts(fig)) == later
    earliest = un.sort_values("date").iloc[0]
    assert earliest["symbol"].removeprefix("A/RES/") in alt and str(earliest["date"].year) in alt


def test_governance_timeline_alt_text_gives_the_year_of_every_milestone_and_counts_the_updates():
    instruments = datasets.load("instruments")
    ids = _figures_yaml("02-environment")["milestones"]["governance-timeline"]["select"]["ids"]
    items = instruments[instruments["id"].isin(ids)]
    assert len(items) == len(ids)
    fig, alt, _ = milestones("02-environment", "governance-timeline")
    for year in items["date"].dt.year.unique():
        assert str(year) in alt
    later = int(items["after_course"].sum())
    assert f"{later} hollow diamonds" in alt
    assert sum(text.endswith("(update)") for text in _texts(fig)) == later


def test_eu_strategies_table_lists_each_eu_document_in_date_order_within_the_caption_years():
    instruments = datasets.load("instruments").set_index("id")
    ids = _figures_yaml("02-environment")["milestones"]["eu-strategies"]["select"]["ids"]
    frame, caption = milestones("02-environment", "eu-strategies")
    assert len(frame) == len(ids)
    dates = pd.to_datetime(frame["Date"], format="%d %b %Y")
    assert dates.is_monotonic_increasing
    assert f"{dates.min().year} to {dates.max().year}" in caption
    later = sum(bool(instruments.loc[i, "after_course"]) for i in ids)
    assert (frame["Status"] == "update since the course").sum() == later


# --- topic 7 ----------------------------------------------------------------------------------------------


def test_norms_table_has_the_eleven_norms_with_incident_names_not_ids():
    norms = datasets.load("norms")
    incidents = datasets.load("incidents")
    frame, _ = norms_figures.norms_table()
    assert list(frame["Norm"]) == list(norms["letter"]) and len(frame) == 11
    linked = " ".join(frame["Incidents in the course data set discussed under it"])
    for ids in norms["related_incidents"].dropna():
        for incident_id in str(ids).split(";"):
            name = incidents.loc[incidents["id"] == incident_id.strip(), "name"]
            assert name.iloc[0] in linked


def test_norms_by_logic_chart_alt_text_gives_each_logic_its_count_and_letters():
    norms = datasets.load("norms")
    fig, alt, _ = norms_figures.norms_by_logic_chart()
    for kind, rows in norms.groupby("kind"):
        letters = ", ".join(f"({x})" for x in sorted(rows["letter"]))
        assert f"{kind}, {len(rows)} norms, {letters}" in alt
    assert len({bar.get_hatch() for bar in fig.axes[0].patches}) == norms["kind"].nunique()


def test_attributions_table_has_every_attribution_of_the_four_cases():
    attributions = datasets.load("attributions")
    expected = attributions[attributions["incident_id"].isin(list(norms_figures.ATTRIBUTION_CASES))]
    frame, _ = norms_figures.attributions_table()
    assert sorted(zip(frame["Who attributed"], frame["To whom"])) == sorted(
        zip(expected["attributing_party"], expected["attributed_to"])
    )
    assert frame["Incident"].nunique() == len(norms_figures.ATTRIBUTION_CASES)


def test_matching_incidents_table_shows_each_case_with_its_confidence_mark():
    incidents = datasets.load("incidents").set_index("id")
    frame, _ = norms_figures.matching_incidents_table()
    assert list(frame["Incident"]) == [incidents.loc[i, "name"] for i in norms_figures.MATCHING_CASES]
    assert list(frame["Confidence"]) == [incidents.loc[i, "confidence"] for i in norms_figures.MATCHING_CASES]


# --- topics 5 and 6 (milestone timelines) -----------------------------------------------------------------


def _tagged(topic: int):
    instruments = datasets.load("instruments")
    return instruments[[str(topic) in str(t).split(";") for t in instruments["topics"]]]


@pytest.mark.parametrize(
    ("topic", "folder", "span"),
    [
        (
            5,
            "05-capacity-building",
            "from {first} at the top to {last} at the bottom",
        ),
        (
            6,
            "06-cyberdefence-cybercrime",
            "in {first} at the top to the opening of the UN convention for signature in {last}",
        ),
    ],
)
def test_milestone_table_and_timeline_cover_the_topic_and_the_alt_text_gives_its_span(topic, folder, span):
    mine = _tagged(topic)
    frame, _ = milestones(folder, "table")
    assert len(frame) == len(mine)
    fig, alt, _ = milestones(folder, "chart")
    assert span.format(first=mine["date"].min().year, last=mine["date"].max().year) in alt
    assert sum(text.endswith("(update)") for text in _texts(fig)) == int(mine["after_course"].sum())


def test_oas_cbms_table_lists_every_oas_measure_of_the_data_set():
    cbms = datasets.load("cbms")
    frame, _ = capacity_figures.oas_cbms_table()
    assert sorted(frame["Measure or step"]) == sorted(cbms.loc[cbms["organisation"] == "OAS", "measure"].fillna(""))


# --- topic 3 ----------------------------------------------------------------------------------------------


def test_incidents_by_year_table_counts_every_dated_incident_and_the_caption_names_the_undated():
    incidents = datasets.load("incidents")
    frame, caption = threats_figures.incidents_by_year_table(incidents)
    dated = incidents.dropna(subset=["start_date"])
    assert frame["incidents"].sum() == len(dated)
    assert dict(zip(frame["year"], frame["incidents"])) == dated["start_date"].dt.year.value_counts().to_dict()
    for name in incidents.loc[incidents["start_date"].isna(), "name"]:
        assert name in caption


def test_techniques_table_counts_coded_incidents_and_its_caption_names_only_uncoded_ones():
    incidents = datasets.load("incidents")
    frame, caption = threats_figures.techniques_table(incidents)
    assert frame.iloc[:, 1].sum() == incidents["technique"].notna().sum()
    named = [row for _, row in incidents.iterrows() if row["name"].removeprefix("German ") in caption]
    assert len(named) == 3
    assert all(not isinstance(row["technique"], str) for row in named)


def test_attribution_lag_chart_alt_text_gives_the_days_to_the_first_attribution():
    incidents = datasets.load("incidents").set_index("id")
    attributions = datasets.load("attributions").dropna(subset=["date"])
    _, alt, _ = threats_figures.attribution_lag_chart(datasets.load("incidents"), datasets.load("attributions"))
    # the incidents whose two dates are both known to the day: the alt text names them as the data does
    exact = ["colonial-pipeline", "sony-pictures-2014", "viasat-ka-sat", "solarwinds", "notpetya"]
    named = {incident_id: incidents.loc[incident_id, "name"] for incident_id in exact}
    for incident_id, name in named.items():
        first = attributions.loc[attributions["incident_id"] == incident_id, "date"].min()
        assert f"{name}: {(first - incidents.loc[incident_id, 'start_date']).days} days" in alt


def test_attribution_lag_chart_words_follow_the_data_for_the_opcw_case():
    incidents, attributions = datasets.load("incidents"), datasets.load("attributions")
    _, alt, caption = threats_figures.attribution_lag_chart(incidents, attributions)
    # first public attribution: the Netherlands and the UK on 4 Oct 2018; the incident is dated to the month only
    days = (pd.Timestamp("2018-10-04") - pd.Timestamp("2018-04-01")).days
    assert f"OPCW close-access attempt: a hatched bar marked '~{days} days'" in alt
    assert "OPCW" not in caption.split("EU sanctions listing")[0]
    # without the 2018 statements the chart falls back on the EU listing of 2020, and its words say so
    later = attributions[~attributions["id"].isin(["opcw-nl-2018", "opcw-uk-2018"])]
    _, alt, caption = threats_figures.attribution_lag_chart(incidents, later)
    days = (pd.Timestamp("2020-07-30") - pd.Timestamp("2018-04-01")).days
    assert f"OPCW close-access attempt: a hatched bar marked '~{days} days'" in alt
    assert "OPCW close-access attempt" in caption.split("EU sanctions listing")[0]


# --- topics 4, 8 and 9: instrument, norm and statement tables --------------------------------------------


def test_nis_instruments_table_has_only_checked_topic_8_instruments_in_date_order():
    mine = _tagged(8)
    checked = mine[mine["confidence"] == "H"]
    frame, _ = nis2_figures.nis_instruments_table()
    assert sorted(frame["What"]) == sorted(checked["title"])
    assert list(frame["What"]) == list(checked.sort_values("date")["title"])
    assert (frame["Status"] == "after the course (update)").sum() == int(checked["after_course"].sum())


def test_infrastructure_norms_table_shows_the_chosen_norms_with_their_linked_incidents():
    norms = datasets.load("norms").set_index("letter")
    frame, _ = infrastructure_figures.infrastructure_norms_table()
    assert list(frame["Norm"]) == [x for x in norms.index if x in infrastructure_figures.INFRASTRUCTURE_NORMS]
    for letter, linked in zip(frame["Norm"], frame["Incidents linked in the data"]):
        recorded = norms.loc[letter, "related_incidents"]
        assert linked == (recorded if isinstance(recorded, str) else "none recorded")


def test_law_instruments_table_has_every_topic_4_instrument_with_its_year():
    mine = _tagged(4)
    frame, _ = milestones("04-international-law", "law-instruments")
    assert sorted(zip(frame["year"], frame["title"])) == sorted(zip(mine["date"].dt.year, mine["title"]))


def test_naming_statements_table_has_each_dated_statement_or_declaration_and_no_sanction():
    attributions = datasets.load("attributions")
    named = attributions[attributions["method"].isin(["statement", "declaration"]) & attributions["date"].notna()]
    frame, _ = law_figures.naming_statements_table()
    assert sorted(zip(frame["who attributed"], frame["to whom"])) == sorted(
        zip(named["attributing_party"], named["attributed_to"])
    )
    sanctioned_only = set(attributions.loc[attributions["method"] == "sanction", "attributed_to"]) - set(
        named["attributed_to"]
    )
    assert not sanctioned_only & set(frame["to whom"])


def test_example_entities_table_follows_the_size_and_annex_rules_for_the_ordinary_entities():
    """NIS2 Art. 3 with the EU SME thresholds: large Annex I entities are essential, other medium-sized and large
    entities important, small ones out of scope (special types, which override size, are left out here)."""
    annex = datasets.load("nis2_sectors").drop_duplicates("sector").set_index("sector")["annex"].astype(str)
    frame, _ = nis2_figures.example_entities_table()
    category = dict(zip(frame["Entity"], frame["NIS2 category"]))
    ordinary = [e for e in nis2_figures.EXAMPLE_ENTITIES if "special_type" not in e]
    assert len(ordinary) == 4
    for entity in ordinary:
        money = entity["turnover_eur_m"], entity["balance_sheet_eur_m"]
        large = entity["employees"] >= 250 or (money[0] > 50 and money[1] > 43)
        medium = entity["employees"] >= 50 or (money[0] > 10 and money[1] > 10)
        expected = (
            "essential"
            if large and annex[entity["sector"]] == "I"
            else "important"
            if medium or large
            else "out of scope"
        )
        assert category[entity["name"]] == expected
