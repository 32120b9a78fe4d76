"""The offline HTML report: self-contained, every figure described, everything participants control escaped."""

from __future__ import annotations

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
