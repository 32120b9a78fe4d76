"""The order options are shown in: per participant and per exercise, stable, and without effect on anything
but the screen (answers file, scores, feedback verdicts and analytics work by option value)."""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from itertools import permutations
from pathlib import Path

import pytest

from coursekit import Choice, MultipleSelect, Ordering, SingleChoice
from coursekit.analysis.assessment import course_notebooks, read_course
from coursekit.core import order
from coursekit.core.exercises import Matching, Scenario
from coursekit.core.schemas import ANSWERS_FILE, problems
from coursekit.core.scoring import score
from coursekit.core.store import AnswerStore, read_answers_file
from coursekit.render.spec import exercise_spec
from coursekit.render.widget import ExerciseWidget

REPO = Path(__file__).resolve().parents[1]
COURSE = read_course(course_notebooks(REPO / "notebooks")).exercises
LISTS = [(ex, part) for ex in COURSE for part in order.shown_orders(ex, "x")]


def source_list(ex, part: str) -> list[str]:
    if part == "choices":
        return [c.value for c in ex.choices]
    if part == "right":
        return list(ex.right)
    if part == "items":
        return list(ex.items)
    return [o.value for o in ex.step(part).options]


def reference_shuffle(values: list[str], seed: str, exercise_id: str, part: str) -> list[str]:
    """The algorithm as coursekit.core.order's docstring states it, written again from that text."""
    out = list(values)
    for i in range(len(out) - 1, 0, -1):
        message = "\x1f".join([seed, exercise_id, part, str(i)]).encode("utf-8")
        j = int(hashlib.sha256(message).hexdigest()[:16], 16) % (i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def test_the_course_has_choice_lists_of_every_kind():
    kinds = {type(ex) for ex, _ in LISTS}
    assert {SingleChoice, MultipleSelect, Matching, Ordering, Scenario} <= kinds
    assert len(LISTS) >= 60


def test_the_shuffle_is_the_documented_algorithm():
    for ex, part in LISTS:
        got = order.shuffled(source_list(ex, part), "participant-a", ex.id, part)
        assert got == reference_shuffle(source_list(ex, part), "participant-a", ex.id, part)


def test_the_same_seed_gives_the_same_order_and_every_order_is_a_permutation():
    for ex, part in LISTS:
        first = order.shown_orders(ex, "participant-a")[part]
        assert first == order.shown_orders(ex, "participant-a")[part]
        assert sorted(first) == sorted(source_list(ex, part))


def test_two_participants_see_most_lists_in_different_orders():
    """Measured over the course: the share of choice lists (3 options or more) shown differently to two seeds."""
    lists = [(ex, part) for ex, part in LISTS if len(source_list(ex, part)) >= 3]
    differ = [order.shown_orders(ex, "user:a")[p] != order.shown_orders(ex, "user:b")[p] for ex, p in lists]
    share = sum(differ) / len(differ)
    print(f"{sum(differ)} of {len(differ)} lists differ between two participants ({share:.0%})")
    assert share >= 0.8


def test_orders_are_spread_evenly():
    """Every order of four options is about equally likely over many participants (no favoured place)."""
    seen = Counter(tuple(order.shuffled(list("abcd"), f"user:{n}", "ex", "choices")) for n in range(2400))
    assert set(seen) == set(permutations("abcd"))
    assert all(60 <= count <= 140 for count in seen.values()), seen  # 100 expected each
    first_places = Counter(p[0] for p in seen.elements())
    assert all(520 <= count <= 680 for count in first_places.values()), first_places  # 600 expected


def test_the_book_order_is_fixed_per_id_and_not_the_source_order_for_most_lists():
    lists = [(ex, part) for ex, part in LISTS if len(source_list(ex, part)) >= 3]
    book = [order.shown_orders(ex, order.BOOK_SEED)[p] for ex, p in lists]
    for shown, (ex, p) in zip(book, lists):
        if not isinstance(ex, Ordering):  # an ordering may be turned by one place off its key (tested below)
            assert shown == reference_shuffle(source_list(ex, p), order.BOOK_SEED, ex.id, p)
    moved = sum(b != source_list(ex, p) for b, (ex, p) in zip(book, lists)) / len(lists)
    print(f"book: {moved:.0%} of lists not in the author's order")
    assert moved >= 0.8


def test_an_ordering_never_starts_in_the_key_order():
    ex = Ordering(id="ord-two", prompt="p", items=["b", "a"], key=["a", "b"], outcomes=["LO1"])
    starts = {tuple(order.shown_orders(ex, f"user:{n}")["items"]) for n in range(50)}
    assert starts == {("b", "a")}
    for ex in COURSE:
        if isinstance(ex, Ordering) and ex.key is not None:
            for n in range(200):
                assert order.shown_orders(ex, f"user:{n}")["items"] != list(ex.key)
            assert order.shown_orders(ex, order.BOOK_SEED)["items"] != list(ex.key)


def test_participant_seed_prefers_the_hub_identity(monkeypatch: pytest.MonkeyPatch):
    stored = "0123456789abcdef0123456789abcdef"
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    assert order.participant_seed(stored) == order.participant_seed(None) == "user:alice"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert order.participant_seed(stored) == stored
    fresh = {order.participant_seed(None) for _ in range(20)}
    assert len(fresh) == 20 and all(len(s) == 32 for s in fresh)


def test_a_random_seed_is_kept_with_the_first_answer_and_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = tmp_path / "answers.json"
    ex = next(e for e in COURSE if isinstance(e, MultipleSelect) and e.mode == "practice")
    first = ExerciseWidget(ex, AnswerStore(path))
    assert not path.exists(), "merely showing an exercise must not write a file (it may be the source folder)"
    first.answer = list(ex.key)
    seed = read_answers_file(path).order_seed
    assert seed and first.spec["choices"] == exercise_spec(ex, seed)["choices"]
    again = ExerciseWidget(ex, AnswerStore(path))  # a restarted kernel
    assert again.spec["choices"] == first.spec["choices"]
    assert problems(json.loads(path.read_text()), ANSWERS_FILE) == []


def test_an_old_answers_file_without_a_seed_still_restores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = tmp_path / "answers.json"
    old = {
        "format": "coursekit-answers",
        "version": 1,
        "answers": {"ord-old": {"value": "b", "saved_at": "2026-05-18T09:30:00+00:00", "attempts": 1}},
    }
    path.write_text(json.dumps(old))
    ex = SingleChoice(id="ord-old", prompt="p", choices=[Choice("a", "f"), Choice("b", "f")], key="a", outcomes=["LO1"])
    widget = ExerciseWidget(ex, AnswerStore(path))
    assert widget.answer == "b" and widget.notice == ""
    widget.answer = "a"
    written = json.loads(path.read_text())
    assert written["answers"]["ord-old"]["value"] == "a" and len(written["order_seed"]) == 32
    assert problems(written, ANSWERS_FILE) == []


@pytest.mark.parametrize("seed", ["", "not hex", "0123", "user:", "user:a\nb", 7, ["x"], "user:" + "x" * 201])
def test_a_bad_seed_is_refused_by_the_schema_and_ignored_by_the_reader(tmp_path: Path, seed):
    data = {"format": "coursekit-answers", "version": 1, "order_seed": seed, "answers": {}}
    assert problems(data, ANSWERS_FILE)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data))
    reading = read_answers_file(path)
    assert reading.order_seed is None and reading.problem is None


def test_answers_and_scores_do_not_depend_on_the_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two participants give the same answer through screens in different orders: the same file value, the same score."""
    keyed = [
        ex for ex in COURSE if ex.key is not None and isinstance(ex, (SingleChoice, MultipleSelect, Matching, Ordering))
    ]
    saved = {}
    for user in ("alice", "bob"):
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        path = tmp_path / user / "answers.json"
        store = AnswerStore(path)
        specs = {}
        for ex in keyed:
            widget = ExerciseWidget(ex, store)
            specs[ex.id] = widget.spec
            shown = widget.spec.get("choices") or widget.spec.get("right") or widget.spec.get("items")
            # an answer built from what is on screen, in screen order: all options, the key's options, ...
            if isinstance(ex, MultipleSelect):
                widget.answer = [c["value"] for c in shown]
            elif isinstance(ex, SingleChoice):
                widget.answer = ex.key
            elif isinstance(ex, Matching):
                widget.answer = dict(ex.key)
            else:
                widget.answer = list(reversed(ex.key))
        saved[user] = (specs, read_answers_file(path))
    (specs_a, file_a), (specs_b, file_b) = saved["alice"], saved["bob"]
    assert sum(specs_a[i] != specs_b[i] for i in specs_a) >= 0.8 * len(specs_a)
    values_a = {k: v.value for k, v in file_a.answers.items()}
    values_b = {k: v.value for k, v in file_b.answers.items()}
    assert values_a == values_b and len(values_a) == len(keyed)
    for ex in keyed:
        assert score(ex, values_a[ex.id]) == score(ex, values_b[ex.id])
    assert (file_a.order_seed, file_b.order_seed) == ("user:alice", "user:bob")


def test_select_all_or_none_earns_nothing_on_every_multiple_select_of_the_course():
    items = [ex for ex in COURSE if isinstance(ex, MultipleSelect) and ex.key is not None]
    assert len(items) >= 15 and any(ex.mode == "graded" for ex in items)
    for ex in items:
        assert score(ex, [c.value for c in ex.choices]).points == 0, ex.id
        assert score(ex, []).points == 0, ex.id
        assert score(ex, list(ex.key)).points == ex.points, ex.id


def test_no_answer_without_knowledge_earns_points_on_the_course():
    """One right-hand value for every item of a matching, a reversed or the shown order of an ordering."""
    for ex in COURSE:
        if ex.key is None:
            continue
        if isinstance(ex, Matching):
            for target in ex.right:
                assert score(ex, dict.fromkeys(ex.left, target)).points == 0, (ex.id, target)
            assert score(ex, dict(ex.key)).points == ex.points
        if isinstance(ex, Ordering):
            assert score(ex, list(reversed(ex.key))).points == 0, ex.id
            # blind orders (what a participant sees at the start, for 300 participants) earn little on average;
            # the share of pairs in order would pay half
            blind = [score(ex, order.shown_orders(ex, f"user:{n}")["items"]).fraction for n in range(300)]
            assert sum(blind) / len(blind) < 0.3, ex.id
            assert score(ex, list(ex.key)).points == ex.points


def test_the_feedback_page_lists_options_in_the_participants_order():
    from coursekit.grading.authoring import HiddenCheck
    from coursekit.grading.feedback_page import ItemFeedback, render_page

    ex = next(e for e in COURSE if isinstance(e, MultipleSelect) and e.mode == "graded")
    rationale = {c.value: f"reason-{n}" for n, c in enumerate(ex.choices)}
    item = ItemFeedback(ex, HiddenCheck(ex.id, list(ex.key), "why", rationale, ""), [c.value for c in ex.choices], 0.0)
    text_of = {c.value: html.escape(c.text, quote=True) for c in ex.choices}

    def positions(page: str, seed: str) -> list[int]:
        return [page.index(f"{text_of[v]} — {rationale[v]}") for v in order.shown_orders(ex, seed)["choices"]]

    kept = "0123456789abcdef0123456789abcdef"
    with_seed = render_page("t", "alice", [item], keys=True, order_seed=kept)
    by_name = render_page("t", "alice", [item], keys=True)
    assert positions(with_seed, kept) == sorted(positions(with_seed, kept))
    assert positions(by_name, "user:alice") == sorted(positions(by_name, "user:alice"))
    assert with_seed != by_name  # the two seeds give two orders of this item
    assert "Total: 0 of" in with_seed and "Total: 0 of" in by_name


def test_the_book_html_carries_the_book_order():
    import re

    from coursekit.render.book_html import exercise_html

    for ex, part in LISTS:
        page = exercise_html(ex)
        assert page == exercise_html(ex)  # the same in every build
        spec = json.loads(re.search(r"class='coursekit-spec'>(.*?)</script>", page).group(1).replace("<\\/", "</"))
        shown = {"choices": [c["value"] for c in spec.get("choices", [])], "right": spec.get("right")}
        shown.update(
            items=spec.get("items"), **{s["id"]: [o["value"] for o in s["options"]] for s in spec.get("steps", [])}
        )
        assert shown[part] == order.shown_orders(ex, order.BOOK_SEED)[part], (ex.id, part)


def test_the_hidden_test_check_pays_nothing_for_every_option_ticked(_isolated_answers: Path, monkeypatch):
    from coursekit.grading import check
    from coursekit.grading.plans import load_plan

    ex = next(e for e in COURSE if isinstance(e, MultipleSelect) and e.mode == "graded")
    notebook = next(n for n in course_notebooks(REPO / "notebooks") if ex.id in load_plan(n).all_exercises)
    monkeypatch.chdir(notebook.parent)  # where a kernel running the source notebook works
    store = AnswerStore(_isolated_answers)
    store.save(ex.id, [c.value for c in ex.choices])
    assert check(ex.id, key=list(ex.key)) == 0.0
    store.save(ex.id, list(ex.key))
    assert check(ex.id, key=list(ex.key)) == ex.points
