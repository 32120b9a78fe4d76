"""The offline HTML report: self-contained, every figure described, everything participants control escaped."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pandas as pd
import pytest
from small_class import build

from coursekit.analysis.classdata import ClassData, with_gap_notes
from coursekit.analysis.report import render

HOSTILE = "<img src=x onerror=alert(1)>"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


def test_report_is_self_contained_and_described():
    page = render(build({"A": HOSTILE}))
    parsed = _parse(page)
    images = [a for t, a in parsed.tags if t == "img"]
    assert len(images) == 3  # outcome heatmap, item scatter, practice bars
    assert all((a.get("alt") or "").strip() for a in images)
    assert all(str(a.get("src")).startswith("data:image/png;base64,") for a in images)
    assert all((a.get("aria-label") or "").strip() for t, a in parsed.tags if t == "svg")
    assert page.count("<figcaption>") == 3
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "iframe", "object", "embed")]
    links = [v for _, a in parsed.tags for k, v in a.items() if k in ("src", "href", "action") and v]
    assert all(v.startswith(("#", "data:")) for v in links), links
    assert "http" not in page.replace("&", "")  # no resource, not even a mention of one
    # The hostile id is a participant's text: present, but only escaped.
    assert HOSTILE not in page and "onerror=alert" not in "".join(str(a) for _, a in parsed.tags)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert HOSTILE in "".join(parsed.text)  # the reader sees it as text
    for heading in (
        "What is missing",
        "Participants who need attention",
        "Learning outcomes",
        "Graded items",
        "Distractor analysis",
        "Items that look broken",
        "Practice engagement",
    ):
        assert heading in page


def test_report_shows_the_hand_worked_numbers():
    page = render(build())
    # LO1 class attainment 10/21 = 48%; q1 difficulty 4/6 = 0.67 with r = 4/sqrt(130) = 0.35; G needs attention.
    assert "<td>LO1</td><td>10</td><td>21</td><td>48%</td>" in page
    assert "<td>q1</td><td>single-choice</td><td>1</td><td>6</td><td>0.67</td><td>0.35</td>" in page
    assert "0% of the points available so far (threshold 50%); not submitted: t1, t2" in page
    assert "distractor nobody chose" in page


def test_report_of_an_empty_class_completes_and_says_why():
    def frame(columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})

    from coursekit.analysis import classdata as cd

    data = with_gap_notes(
        ClassData(
            frame(cd.ROSTER_COLUMNS),
            frame(cd.ITEM_COLUMNS),
            frame(cd.GRADE_COLUMNS),
            frame(cd.SUBMISSION_COLUMNS),
            frame(cd.ANSWER_COLUMNS),
            frame(cd.NOTE_COLUMNS),
            ["t1"],
        )
    )
    page = render(data)
    assert "No roster" in page and "t1: nobody has submitted it yet" in page
    assert "No scored items yet." in page


# Surnames in the reverse order of the ids, so that "ordered by surname" and "ordered by id" differ.
SURNAMES = {"A": "Zubiri", "B": "Young", "C": "Xu", "D": "Weber", "E": "Vidal", "F": "Ursu", "G": "Tanase"}


def _renamed_class() -> ClassData:
    data = build()
    data.roster["last_name"] = data.roster["student"].map(SURNAMES)
    return data


def test_heatmap_rows_are_named_in_their_order_and_drawn_on_one_scale():
    from coursekit.analysis import analytics, report

    data = _renamed_class()
    grid = report.attainment_grid(data, analytics.outcome_attainment(data))
    fig = report.attainment_heatmap(grid, report.participant_labels(data))
    ax, bar = fig.axes
    names = [label.get_text() for label in ax.get_yticklabels()]
    # By surname, each row named by the surname it is ordered by (G Tanase first ... A Zubiri last).
    assert names == [f"{SURNAMES[s]}, First{s}" for s in "GFEDCBA"]
    assert names == sorted(names)
    # Each row's printed values are that participant's, worked out by hand from small_class's table:
    # LO1 = q1 (1 point) + q2 (2), LO4 = q2 (2) + q3 (2); LO2 = w1, still to be marked for A-F (n/a),
    # and not submitted by G (0 of 3).
    by_hand = {
        "A": ("100", "n/a", "100"),
        "B": ("100", "n/a", "75"),
        "C": ("67", "n/a", "75"),
        "D": ("33", "n/a", "50"),
        "E": ("33", "n/a", "0"),
        "F": ("0", "n/a", "25"),
        "G": ("0", "0", "0"),
    }
    assert [label.get_text() for label in ax.get_xticklabels()] == ["LO1", "LO2", "LO4"]
    cells = {(round(x.get_position()[1]), round(x.get_position()[0])): x.get_text() for x in ax.texts}
    for row, student in enumerate("GFEDCBA"):
        assert tuple(cells[(row, col)] for col in range(3)) == by_hand[student], student
    # One scale: the colour bar runs 0 to 100, like the numbers in the cells.
    (image,) = ax.get_images()
    assert image.get_clim() == (0, 100) and tuple(bar.get_ylim()) == (0, 100)
    printed = [float(v) for v in cells.values() if v != "n/a"]
    assert max(printed) == 100 and all(0 <= v <= 100 for v in printed)


def test_attainment_table_names_rows_as_the_heatmap_does():
    page = render(_renamed_class())
    table = page[page.index("<caption>Attainment per participant and learning outcome</caption>") :]
    rows = [r.split("</td>")[0] for r in table.split("</table>")[0].split("<tr><td>")[1:]]
    assert rows == [f"{SURNAMES[s]}, First{s}" for s in "GFEDCBA"]


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("count", [3, 12, 60])
def test_item_labels_in_the_scatter_plot_never_overlap(count):
    """Items crowded on one spot and in a narrow band (the case that overlapped): every label readable."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from coursekit.analysis.report import item_scatter

    rows = [
        {
            "topic": "t",
            "exercise_id": f"t07-a-rather-long-item-id-{n:02d}",
            "difficulty": 0.5 if n % 3 else 0.5 + 0.002 * n,
            "discrimination": 0.3 if n % 2 else 0.3 + 0.001 * n,
        }
        for n in range(count)
    ]
    rows.append({"topic": "t", "exercise_id": "undefined-r", "difficulty": 1.0, "discrimination": math.nan})
    fig = item_scatter(pd.DataFrame(rows))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = fig.axes
    labels = [t for t in ax.texts if t.get_text()]
    assert sorted(t.get_text() for t in labels) == sorted(r["exercise_id"] for r in rows[:-1])  # one each
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the text alone, not its leader line
    assert not [(i, j) for i in range(len(boxes)) for j in range(i) if _overlap(boxes[i], boxes[j])]
    figure = fig.bbox
    assert all(figure.x0 <= b.x0 and b.x1 <= figure.x1 and figure.y0 <= b.y0 and b.y1 <= figure.y1 for b in boxes)
    others = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
    other_boxes = [o.get_window_extent(renderer) for o in others if o.get_text()]
    assert not [b for b in boxes for o in other_boxes if _overlap(b, o)]
    for label, row in zip(
        sorted(labels, key=lambda t: t.get_text()), sorted(rows[:-1], key=lambda r: r["exercise_id"])
    ):
        assert label.xy == (row["difficulty"], row["discrimination"])  # its line goes to its own point


def test_distractor_tables_show_the_option_text_participants_saw():
    from coursekit.core.exercises import Choice, SingleChoice

    data = build()
    texts = {"a": "Ask the host State for help", "b": "Attribute it publicly", "c": "Do nothing for now"}
    data.exercises["q1"] = SingleChoice(
        id="q1", prompt="p", choices=[Choice(texts[v], value=v) for v in "abc"], mode="graded", outcomes=["LO1"]
    ).with_key("a")
    page = render(data)
    section = page[page.index("<caption>Choices made in q1</caption>") :].split("</table>")[0]
    # q1 answers A..F: a a a b a b (small_class): a 4 (right), b 2, c 0.
    assert "<td>Ask the host State for help</td><td>right</td><td>4</td>" in section
    assert "<td>Attribute it publicly</td><td>wrong</td><td>2</td>" in section
    assert "<td>Do nothing for now</td><td>wrong</td><td>0</td>" in section
    assert not [v for v in "abc" if f"<td>{v}</td>" in section]  # the stored values are not what anyone read
    assert "<td>t1</td><td>q1</td><td>distractor nobody chose</td><td>Do nothing for now</td>" in page


def test_a_submission_six_seconds_late_reads_six_seconds():
    data = build()
    late = (data.submissions["student"] == "B") & (data.submissions["topic"] == "t2")
    data.submissions.loc[late, "seconds_late"] = 6.0
    page = render(data)
    assert "late: t2 (6 s)" in page and "0.0 h" not in page


def test_a_written_answer_is_judged_against_its_rubric_not_right_or_wrong():
    from coursekit.core.exercises import RubricCriterion, ShortText

    data = build()
    data.exercises["w1"] = ShortText(
        id="w1",
        prompt="p",
        mode="graded",
        outcomes=["LO2"],
        points=3,
        rubric=[RubricCriterion("goal", 1, ("0", "1")), RubricCriterion("tools", 2, ("0", "1", "2"))],
    )
    marks = {"A": 2.0, "B": 2.0, "C": 1.0, "D": 1.0, "E": 0.0, "F": 1.0}  # of 3: nobody reached the top
    w1 = data.grades["exercise_id"] == "w1"
    data.grades.loc[w1, "score"] = data.grades.loc[w1, "student"].map(marks)
    data.grades.loc[w1, "needs_manual_grade"] = False
    page = render(data)
    assert "<td>w1</td><td>nobody right" not in page and "<td>w1</td><td>nobody reached half" not in page
    # w1: 7 of 18 points = 39%; at least 1.5 of 3: A, B (2); every criterion's top level (3 of 3): none.
    assert "<td>t2</td><td>w1</td><td>2</td><td>6</td><td>39%</td><td>2</td><td>0</td>" in page, page[
        page.index("marked against their rubric") :
    ][:1500]


def test_topics_never_released_are_named_once_and_nowhere_else():
    data = build()
    data.unreleased = ["03-threats", "04-international-law"]
    page = render(data)
    assert "Left out, never released: 03-threats, 04-international-law." in page
    assert page.count("03-threats") == 1


@pytest.mark.browser
@pytest.mark.slow
def test_report_opens_offline_in_chromium(tmp_path):
    """Chromium, with every network request refused: the page loads, every image decodes, nothing errs."""
    from browser import chromium_page

    from coursekit.analysis.report import write_report

    path = write_report(build({"A": HOSTILE}), tmp_path / "report.html")
    errors: list[str] = []
    requests: list[str] = []
    with chromium_page(errors) as page:
        page.on("request", lambda r: requests.append(r.url))
        page.route("http*://**", lambda route: route.abort())
        page.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))  # the hostile id must not run
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        images = page.evaluate("Array.from(document.images).map(i => [i.alt, i.complete && i.naturalWidth > 0])")
        text = page.evaluate("document.body.textContent")
    assert len(images) == 3 and all(alt.strip() and decoded for alt, decoded in images), images
    assert not [u for u in requests if not u.startswith(("file:", "data:"))], requests
    assert HOSTILE in text  # shown as text
    assert not errors, errors
