"""The book's framing explorer runs the cue matcher in the page: it must say exactly what Python says.

Hypothesis builds statements out of the course's own cue words (in any letter case, joined by spaces,
punctuation, letters that glue onto them, or nothing), mixed with arbitrary text (any Unicode, including
letters whose lower case is longer, such as 'İ'), and the page's ``findCues``, ``describeCues`` and
``framingResult`` (run in Node from ``static/coursekit-exercise.js``) are compared with Python's
:func:`~coursekit.topics.framing.find_cues`, :func:`~coursekit.topics.framing.describe` and the form's result.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from node_page import NodePage

from coursekit.topics import framing

DATA = json.loads(
    re.search(r"class='coursekit-form-data'>(.*?)</script>", framing.FramingExplorer().book_html(), re.S)
    .group(1)
    .replace("<\\/", "</")
)
ALL_CUES = [c for cues in framing.cues().values() for c in cues]


@pytest.fixture(scope="module")
def page():
    p = NodePage("framing_driver.mjs")
    yield p
    p.close()


def _any_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda ups: "".join(c.upper() if u else c for c, u in zip(word, ups))
    )


PIECE = st.one_of(
    st.sampled_from(ALL_CUES).flatmap(_any_case),
    st.sampled_from(
        [" ", ", ", ". ", "-", "re", "s", "ed", "\n", "", "\u0130", "\u00a0", "\u2003", "\u00df", "\u212a"]
    ),  # KELVIN SIGN: lower case is an ASCII k in a browser, not folded here
    st.text(max_size=6),
)
STATEMENT = st.lists(PIECE, max_size=12).map("".join)


def test_the_book_form_carries_the_lexicon_and_the_walkthrough():
    html = framing.FramingExplorer().book_html()
    assert DATA["cues"] == {v: list(c) for v, c in framing.cues().items()}
    assert [v for v, _ in DATA["visions"]] == list(framing.visions())
    assert "coursekit-walkthrough" in html and DATA["form"]["buttons"][0]["label"] == "Find cue words"


@pytest.mark.parametrize(
    "text",
    [
        "We support an open, interoperable internet governed by a multistakeholder model.",
        "Technological sovereignty is not sovereignty.",  # the longer cue wins; the shorter is not counted again
        "REOPENED markets",  # not a whole word
        "   ",
        "İnformation security and capacity-building",
    ],
)
@pytest.mark.slow
def test_known_statements(page, text):
    got = page.ask({"data": DATA, "text": text, "button": "find"})
    assert got["cues"] == [[m.vision, m.cue] for m in framing.find_cues(text)]
    assert got["sentence"] == framing.describe(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=STATEMENT, button=st.sampled_from([None, "find"]))
@pytest.mark.slow
def test_the_pages_matcher_equals_pythons(page, text, button):
    got = page.ask({"data": DATA, "text": text, "button": button})
    assert got["cues"] == [[m.vision, m.cue] for m in framing.find_cues(text)]
    assert got["sentence"] == framing.describe(text)
    assert got["result"] == framing._result({"statement": text}, button).to_json()
