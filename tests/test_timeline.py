"""Tests for coursekit.topics.timeline: instrument timelines that mark post-course updates."""

from __future__ import annotations

import pytest

from coursekit.topics import timeline

pd = pytest.importorskip("pandas")


def _frame() -> "pd.DataFrame":
    return pd.DataFrame(
        {
            "date": ["2015-12-23", "1998", "2015-07", "2025-07-11", "2018-12-05"],
            "symbol": ["A/RES/70/237", "A/RES/53/70", "A/70/174", "", "A/RES/73/27"],
            "title": ["Res 70/237", "Res 53/70", "GGE 2015", "OEWG final report", "Res 73/27"],
            "after_course": ["false", "False", "no", "true", False],
        }
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("false", False),
        ("", False),
        (None, False),
        (1, True),
        (0, False),
        (float("nan"), False),
    ],
)
def test_as_flag_reads_the_usual_spellings(value: object, expected: bool) -> None:
    assert timeline.as_flag(value) is expected


def test_year_of_reads_text_and_dates() -> None:
    import datetime

    assert timeline.year_of("1998") == 1998
    assert timeline.year_of("2015-12-23") == 2015
    assert timeline.year_of(datetime.date(2021, 3, 12)) == 2021
    with pytest.raises(ValueError):
        timeline.year_of("n.d.")


def test_prepare_sorts_by_date_flags_updates_and_falls_back_to_title() -> None:
    data = timeline.prepare(_frame())
    assert list(data["year"]) == [1998, 2015, 2015, 2018, 2025]
    assert list(data["update"]) == [False, False, False, False, True]
    # the 2025 item has no symbol, so its title labels it
    assert data.loc[4, "label"] == "OEWG final report"
    assert data.loc[0, "label"] == "A/RES/53/70"


def test_prepare_does_not_change_the_input() -> None:
    frame = _frame()
    timeline.prepare(frame)
    assert "year" not in frame.columns


def test_per_year_counts_and_keeps_empty_years() -> None:
    counts = timeline.per_year(_frame())
    assert counts["year"].tolist() == list(range(1998, 2026))
    row = counts.set_index("year")
    assert row.loc[2015, "known_at_course"] == 2
    assert row.loc[2025, "update"] == 1 and row.loc[2025, "known_at_course"] == 0
    assert row.loc[2000].tolist() == [0, 0]
    assert counts["known_at_course"].sum() + counts["update"].sum() == len(_frame())


def test_per_year_of_nothing_is_empty() -> None:
    assert timeline.per_year(_frame().iloc[0:0]).empty


def test_figure_marks_updates_in_text_not_colour_only() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    fig = timeline.timeline_figure(_frame(), title="UN milestones")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "OEWG final report (update)" in texts
    assert "A/RES/53/70" in texts and "A/RES/53/70 (update)" not in texts
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("update" in t for t in legend)
    plt.close(fig)


def test_figure_refuses_an_empty_frame() -> None:
    with pytest.raises(ValueError):
        timeline.timeline_figure(_frame().iloc[0:0], title="nothing")


def test_wrap_label_breaks_at_words_and_never_cuts() -> None:
    assert timeline.wrap_label("A/RES/53/70") == "A/RES/53/70"
    text = "Final report adopted by consensus: a permanent single-track mechanism"
    wrapped = timeline.wrap_label(text, 30)
    assert wrapped == "Final report adopted by\nconsensus: a permanent\nsingle-track mechanism"
    assert all(len(line) <= 30 for line in wrapped.splitlines()) and "…" not in wrapped


def test_figure_has_one_labelled_row_per_item_earliest_first() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    fig = timeline.timeline_figure(_frame(), title="t")
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text() != "course, May 2022 "]
    assert labels == ["A/RES/53/70", "A/70/174", "A/RES/70/237", "A/RES/73/27", "OEWG final report (update)"]
    plt.close(fig)


def test_decimal_year_respects_precision() -> None:
    stamp = pd.Timestamp("2015-01-01")
    assert timeline.decimal_year(stamp, "year") == 2015.5
    assert timeline.decimal_year(pd.Timestamp("2018-12-01"), "month") == pytest.approx(2018 + 11.5 / 12)
    assert 2015.0 < timeline.decimal_year(stamp, "day") < 2015.01
    assert timeline.decimal_year("1998") == 1998.5


def test_with_title_adds_the_title_after_the_label() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    fig = timeline.timeline_figure(_frame().iloc[[1]], title="t", with_title=True)
    assert "A/RES/53/70: Res 53/70" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_with_title_does_not_repeat_a_named_document() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(
        {
            "date": ["2005"],
            "symbol": ["Tunis Agenda for the Information Society"],
            "title": ["Tunis Agenda: working definition"],
            "after_course": [False],
        }
    )
    fig = timeline.timeline_figure(frame, title="t", with_title=True)
    assert "Tunis Agenda: working definition" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
