"""Marking a written item by question (coursekit.grading.marking): levels to score, rubric edits that re-score,
resubmissions flagged, the comment bank, the record on disk, and the view's anonymity. Pure Python: the
gradebook is replaced by a list of the writes the session makes (the browser test checks the real gradebook)."""

from __future__ import annotations

import json

import pytest

from coursekit.core.exercises import RubricCriterion, ShortText
from coursekit.grading.marking import (
    Answer,
    MarkingRecord,
    MarkingSession,
    near_copies,
    record_path,
    rubric_levels,
    similar_order,
)

RUBRIC = [
    RubricCriterion("Goal", 2, ("0: none", "1: named", "2: tied to foreign policy")),
    RubricCriterion("Audience", 1, ("0: 'the public'", "1: specific")),
    RubricCriterion("Risks", 1, ("nothing", "something", "all")),  # no points written: 0, 0.5, 1
]
ITEM = ShortText(id="w", prompt="Plan a campaign", mode="graded", points=4, outcomes=["LO2"], rubric=RUBRIC)
HOSTILE = '<script>alert(1)</script>\n=HYPERLINK("http://x")\udc80'


def session(tmp_path, texts: dict[str, str] | None = None):
    texts = texts or {"ann": "A plan with a goal.", "bob": "Another plan.", "cy": HOSTILE}
    writes: list[tuple[str, float | None, str]] = []
    answers = [Answer(s, f"Name {s}", t) for s, t in texts.items()]
    record = MarkingRecord(record_path(tmp_path, "t1"))
    return MarkingSession(ITEM, answers, record, lambda *w: writes.append(w)), writes


def test_levels_take_their_points_from_the_text_or_are_spread_evenly():
    assert [(lv.label, lv.points) for lv in rubric_levels(RUBRIC[0])] == [
        ("none", 0.0),
        ("named", 1.0),
        ("tied to foreign policy", 2.0),
    ]
    assert [lv.points for lv in rubric_levels(RUBRIC[2])] == [0.0, 0.5, 1.0]
    # a level may not claim more than its criterion is worth
    assert rubric_levels(RubricCriterion("X", 1, ("0: no", "5: too much")))[1].points == 1.0


def test_the_score_is_the_sum_of_the_levels_and_only_a_complete_mark_is_a_score(tmp_path):
    s, writes = session(tmp_path)
    assert s.choose("ann", 0, 2) is None  # two criteria still open: no score yet
    assert writes[-1] == ("ann", None, "")
    s.choose("ann", 1, 0)
    assert s.choose("ann", 2, 1) == 2 + 0 + 0.5
    assert writes[-1] == ("ann", 2.5, "")
    assert s.progress() == (1, 3)
    with pytest.raises(ValueError, match="no level 4"):
        s.choose("ann", 0, 3)
    with pytest.raises(ValueError, match="no criterion 4"):
        s.choose("ann", 3, 0)


def test_changing_a_levels_points_rescores_every_answer_marked_with_it(tmp_path):
    s, writes = session(tmp_path)
    for student, levels in {"ann": (1, 1, 0), "bob": (1, 0, 2), "cy": (2, 1, 2)}.items():
        for criterion, level in enumerate(levels):
            s.choose(student, criterion, level)
    writes.clear()
    touched = s.set_level_points(0, 1, 1.5)  # "named" now earns 1.5 instead of 1
    assert sorted(touched) == ["ann", "bob"]
    assert sorted(writes) == [("ann", 1.5 + 1 + 0, ""), ("bob", 1.5 + 0 + 1, "")]
    assert s.score("cy") == 2 + 1 + 1  # marked with another level: unchanged
    with pytest.raises(ValueError, match="from 0 to 2"):
        s.set_level_points(0, 1, 3)  # more than the criterion is worth
    with pytest.raises(ValueError, match="number"):
        s.set_level_points(0, 1, float("nan"))
    # the change is kept: a new session on the same record scores with it
    again = MarkingSession(ITEM, s.answers, MarkingRecord(s.record.path), lambda *w: None)
    assert again.score("ann") == 2.5


def test_a_text_changed_after_marking_is_flagged_until_it_is_marked_again(tmp_path):
    s, _ = session(tmp_path)
    s.choose("bob", 0, 1)
    assert not s.needs_second_look("bob")
    assert not s.needs_second_look("ann")  # never marked: nothing to look at again
    resubmitted = [Answer(a.student, a.name, a.text + " Now longer.") if a.student == "bob" else a for a in s.answers]
    later = MarkingSession(ITEM, resubmitted, MarkingRecord(s.record.path), lambda *w: None)
    assert later.needs_second_look("bob")
    later.choose("bob", 1, 1)
    assert not later.needs_second_look("bob")


def test_the_comment_bank_keeps_a_comment_once_and_inserts_it_by_number(tmp_path):
    s, writes = session(tmp_path)
    s.add_to_bank(1, "Name two audiences.")
    s.add_to_bank(0, "Tie it to a goal.")
    s.add_to_bank(0, "  Tie it to a goal.  ")  # the same comment again: kept once
    assert s.bank_entries() == [(0, "Tie it to a goal."), (1, "Name two audiences.")]
    s.comment("ann", "Good start.")
    assert s.insert_from_bank("ann", 1) == "Good start.\nName two audiences."
    assert s.insert_from_bank("ann", 1) == "Good start.\nName two audiences."  # not twice in one comment
    assert writes[-1] == ("ann", None, "Good start.\nName two audiences.")
    with pytest.raises(ValueError, match="no comment 3"):
        s.insert_from_bank("ann", 2)
    with pytest.raises(ValueError, match="empty"):
        s.add_to_bank(0, "   ")


def test_the_record_survives_a_restart_and_a_damaged_one_is_refused_not_replaced(tmp_path):
    s, _ = session(tmp_path)
    s.choose("cy", 0, 0)
    s.comment("cy", HOSTILE)
    data = json.loads(s.record.path.read_text(encoding="utf-8"))
    assert data["items"]["w"]["levels"]["cy"] == [0, None, None]
    reread = MarkingRecord(s.record.path).item("w")
    assert reread.comments["cy"] == HOSTILE and reread.levels["cy"] == [0, None, None]
    s.record.path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot be read"):
        MarkingRecord(s.record.path)
    assert s.record.path.read_text(encoding="utf-8") == "{ not json"


def test_only_written_items_with_a_rubric_are_marked_here(tmp_path):
    bare = ShortText(id="b", prompt="p", mode="graded", points=1, outcomes=["LO1"])
    with pytest.raises(ValueError, match="rubric"):
        MarkingSession(bare, [], MarkingRecord(tmp_path / "r.json"), lambda *w: None)


def test_similar_answers_sit_together_and_near_copies_are_named():
    answers = [
        Answer("a", "", "The state should name the norm and call its partners."),
        Answer("b", "", "Sanctions at once, without any consultation."),
        Answer("c", "", "The state should name the norm and call its partners!"),
        Answer("d", "", ""),
    ]
    assert [a.student for a in similar_order(answers)][:2] == ["a", "c"]
    assert near_copies(answers) == {"a": ["c"], "b": [], "c": ["a"], "d": []}  # two empty texts are no copies


def test_the_view_sends_no_name_or_id_until_names_are_shown(tmp_path):
    from coursekit.grading.marking_view import MarkingView

    texts = {"p-alice-smith": "first", "p-bob-jones": "second"}
    writes: list = []
    answers = [Answer(s, f"Real {s[2:]}", t) for s, t in texts.items()]
    s = MarkingSession(ITEM, answers, MarkingRecord(tmp_path / "r.json"), lambda *w: writes.append(w))
    view = MarkingView(s, topic="t1", order="shuffled")
    hidden = json.dumps(view.screen)
    assert "alice" not in hidden and "bob" not in hidden and view.screen["position"] == "Participant 1 of 2"
    view.handle({"action": "names", "show": True, "seq": 1})
    assert s.answers[0].student in view.screen["who"]
    view.handle({"action": "level", "index": 1, "criterion": 0, "level": 2, "seq": 2})
    assert writes[-1] == (s.answers[1].student, None, "")
    view.handle({"action": "level", "index": 1, "criterion": 9, "level": 0, "seq": 3})
    assert view.notice.startswith("Not done: there is no criterion 10")


def test_the_feedback_page_lists_the_levels_given_and_a_damaged_record_costs_only_the_levels(tmp_path):
    from coursekit.grading.feedback_page import ItemFeedback, render_page
    from coursekit.grading.marking import chosen_levels

    s, _ = session(tmp_path)
    for criterion, level in enumerate((1, 1, 1)):
        s.choose("ann", criterion, level)
    s.set_level_points(2, 1, 0.75)
    lines = chosen_levels(tmp_path, "t1", "w", ITEM, "ann")
    assert lines == ["Goal: named (1)", "Audience: specific (1)", "Risks: something (0.75)"]
    assert chosen_levels(tmp_path, "t1", "w", ITEM, "bob") == []  # not marked by level
    page = render_page("t1", "ann", [ItemFeedback(ITEM, None, "A plan.", 2.75, "", levels=tuple(lines))], keys=False)
    assert "<li>Risks: something (0.75)</li>" in page and "Score: 2.75 of 4 point(s)" in page
    record_path(tmp_path, "t1").write_text("[]", encoding="utf-8")
    assert chosen_levels(tmp_path, "t1", "w", ITEM, "ann") == []


def test_grouping_a_class_of_long_answers_takes_no_time():
    """Every pair is compared when the view opens: 25 answers of 5,000 characters took 116 s with difflib."""
    import random
    import time

    rng = random.Random(1)
    words = "the state norm cyber partners attribution embassy audience goal channel risk law treaty".split()
    answers = [Answer(str(i), "", " ".join(rng.choice(words) for _ in range(800))[:5000]) for i in range(25)]
    started = time.perf_counter()
    assert len(similar_order(answers)) == 25 and len(near_copies(answers)) == 25
    assert time.perf_counter() - started < 10


def test_a_second_view_on_the_same_record_cannot_undo_the_first_ones_marks(tmp_path):
    first, _ = session(tmp_path)
    second = MarkingSession(ITEM, first.answers, MarkingRecord(first.record.path), lambda *w: None)
    first.choose("ann", 0, 2)
    with pytest.raises(ValueError, match="changed by another marking view"):
        second.choose("bob", 0, 1)
    assert MarkingRecord(first.record.path).item("w").levels == {"ann": [2, None, None]}
