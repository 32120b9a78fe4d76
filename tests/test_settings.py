"""The course settings file is the one home of the course id, outcomes, dates and cell timeout.

Each test either checks that a reader (the exercise model, nbgrader_config.py, the book, the CLI) takes its
value from the settings, or that a page restating a setting (the book's intro and schedule) agrees with it,
or that a bad settings file is refused with a message naming the key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from coursekit.cli import main
from coursekit.core import settings as settings_module
from coursekit.core.dates import display_date
from coursekit.core.exercises import Choice, ExerciseDefinitionError, SingleChoice
from coursekit.core.settings import SettingsError, load, settings
from coursekit.grading.course import Course

REPO = Path(__file__).resolve().parents[1]
COURSE_FILE = REPO / "course.toml"
CHOICES = [Choice("a"), Choice("b")]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def own_settings(tmp_path, monkeypatch):
    """Point COURSEKIT_COURSE at a file written by the test; the cache is cleared before and after."""

    def write(text: str) -> Path:
        path = tmp_path / "course.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(settings_module.ENV_VAR, str(path))
        settings.cache_clear()
        return path

    yield write
    settings.cache_clear()


def test_the_settings_in_force_are_the_course_roots():
    loaded = settings()
    assert loaded.outcome_ids == ("LO1", "LO2", "LO3", "LO4", "LO5")
    assert loaded.start <= loaded.end and loaded.cell_timeout > 0
    assert dataclasses.replace(load(COURSE_FILE), source=loaded.source) == loaded


def test_book_intro_states_each_outcome_in_the_settings_wording():
    intro = _words((REPO / "book" / "intro.md").read_text(encoding="utf-8"))
    listed = re.findall(r"\*\*(LO\d+)\*\*", intro)
    assert listed == list(settings().outcome_ids), "the intro lists exactly the outcomes of the settings, in order"
    for outcome in settings().outcomes:
        assert f"**{outcome.id}** {outcome.wording}" in intro, f"{outcome.id}'s wording differs from course.toml"


def test_schedule_days_and_outcomes_agree_with_the_settings():
    schedule = (REPO / "book" / "schedule.md").read_text(encoding="utf-8")
    rows = [r for r in schedule.splitlines() if r.startswith("| Day ")]
    named = [
        dt.datetime.strptime(m, "%d %B %Y").date()
        for r in rows
        for m in re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4}", r.split("|")[1])
    ]
    s = settings()
    assert named == [s.start + dt.timedelta(days=n) for n in range((s.end - s.start).days + 1)]
    used = set(re.findall(r"LO\d+", schedule))
    assert used and used <= set(s.outcome_ids)
    intro = _words((REPO / "book" / "intro.md").read_text(encoding="utf-8"))
    assert f"{s.start.day} to {display_date(s.end)}" in intro


def test_exercises_accept_only_the_outcomes_of_the_settings(own_settings):
    text = COURSE_FILE.read_text(encoding="utf-8")
    # the same settings with LO5 renamed LO6: an exercise naming LO5 is now refused, one naming LO6 accepted
    own_settings(text.replace('id = "LO5"', 'id = "LO6"'))
    with pytest.raises(ExerciseDefinitionError, match="LO5"):
        SingleChoice(id="s-lo5", prompt="?", choices=CHOICES, mode="graded", outcomes=["LO5"])
    SingleChoice(id="s-lo6", prompt="?", choices=CHOICES, mode="graded", outcomes=["LO6"])


def test_nbgrader_config_takes_the_course_id_from_the_settings_beside_it(tmp_path, monkeypatch):
    assert Course(REPO).course_id == settings().course_id
    monkeypatch.delenv(settings_module.ENV_VAR)
    root = tmp_path / "course"
    root.mkdir()
    edited = COURSE_FILE.read_text(encoding="utf-8").replace('id = "cyber-diplomacy"', 'id = "another-course"')
    (root / "course.toml").write_text(edited, encoding="utf-8")
    (root / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text(encoding="utf-8"))
    assert Course(root).course_id == "another-course"


def test_the_book_takes_its_cell_timeout_from_the_settings(own_settings, tmp_path):
    from coursekit.book.build import _execution_settings, staged_config

    committed = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert "timeout" not in (committed.get("execute") or {}), "the timeout's home is course.toml, not _config.yml"
    own_settings(COURSE_FILE.read_text(encoding="utf-8").replace("cell_seconds = 120", "cell_seconds = 45"))
    course = Course(REPO)
    assert yaml.safe_load(staged_config(course))["execute"]["timeout"] == 45
    assert _execution_settings(course)[2] == 45


def test_the_book_takes_its_title_from_the_settings(own_settings):
    from coursekit.book.build import staged_config

    assert "title" not in yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    own_settings(
        COURSE_FILE.read_text(encoding="utf-8").replace('title = "Cyber diplomacy', 'title = "Diplomatie cyber')
    )
    assert yaml.safe_load(staged_config(Course(REPO)))["title"].startswith("Diplomatie cyber")


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda t: t.replace('id = "cyber-diplomacy"\n', ""), "`course.id` is missing"),
        (
            lambda t: t.replace('title = "Cyber diplomacy: an interactive course"', 'title = "  "'),
            "`course.title` is empty",
        ),
        (lambda t: t.replace('title = "Cyber diplomacy: an interactive course"', "title = 3"), "`course.title` = 3"),
        (lambda t: t.replace("cell_seconds = 120", 'cell_seconds = "120"'), "`timeouts.cell_seconds` = '120'"),
        (lambda t: t.replace("cell_seconds = 120", "cell_seconds = 0"), "`timeouts.cell_seconds` = 0"),
        (lambda t: t.replace("end = 2022-05-20", "end = 2022-05-10"), "`dates.end` (2022-05-10) is before"),
        (lambda t: t.replace("start = 2022-05-18", 'start = "18 May 2022"'), "`dates.start`"),
        (lambda t: t.replace('id = "LO3"', 'id = "LO2"'), "LO2 is listed twice"),
        (lambda t: t.replace('id = "LO4"', 'id = "outcome 4"'), "`outcomes[4].id` = 'outcome 4'"),
        (lambda t: t.replace('wording = "apply', 'wordin = "apply'), "`outcomes[5].wording` is missing"),
        (lambda t: t.replace("[dates]", "[dates"), "not valid TOML"),
    ],
)
def test_a_bad_settings_file_is_refused_naming_the_key(own_settings, edit, named):
    path = own_settings(edit(COURSE_FILE.read_text(encoding="utf-8")))
    with pytest.raises(SettingsError) as err:
        settings()
    assert named in str(err.value) and str(path) in str(err.value)


def test_the_cli_reports_bad_settings_in_one_sentence(own_settings, capsys):
    own_settings(COURSE_FILE.read_text(encoding="utf-8").replace("cell_seconds = 120", "cell_seconds = -1"))
    assert main(["settings"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "timeouts.cell_seconds" in err and "Traceback" not in err
    own_settings(COURSE_FILE.read_text(encoding="utf-8"))
    assert main(["settings"]) == 0
    assert "LO2: develop digital diplomacy strategies" in capsys.readouterr().out


def test_a_missing_settings_file_names_the_variable(own_settings, monkeypatch, tmp_path):
    monkeypatch.setenv(settings_module.ENV_VAR, str(tmp_path / "nowhere.toml"))
    settings.cache_clear()
    with pytest.raises(SettingsError, match=settings_module.ENV_VAR):
        settings()


def test_the_nearest_course_toml_upward_of_the_working_folder_is_used(tmp_path, monkeypatch):
    """A notebook runs in its own folder: it finds its course's settings above it, not the library's."""
    monkeypatch.delenv(settings_module.ENV_VAR, raising=False)
    course = tmp_path / "my-course"
    (course / "notebooks" / "01-intro").mkdir(parents=True)
    (course / "course.toml").write_text(
        COURSE_FILE.read_text(encoding="utf-8").replace('id = "cyber-diplomacy"', 'id = "my-course"'), encoding="utf-8"
    )
    monkeypatch.chdir(course / "notebooks" / "01-intro")
    assert load().course_id == "my-course"
    assert settings_module.course_file() == course / "course.toml"
    # a copy beside the notebook (as the release puts it) is nearer, so it wins
    (course / "notebooks" / "01-intro" / "course.toml").write_text(
        COURSE_FILE.read_text(encoding="utf-8").replace('id = "cyber-diplomacy"', 'id = "copy"'), encoding="utf-8"
    )
    assert load().course_id == "copy"


def test_coursekit_course_names_a_course_folder(tmp_path, monkeypatch):
    (tmp_path / "course.toml").write_text(
        COURSE_FILE.read_text(encoding="utf-8").replace('id = "cyber-diplomacy"', 'id = "named"'), encoding="utf-8"
    )
    monkeypatch.setenv(settings_module.ENV_VAR, str(tmp_path))
    monkeypatch.chdir(REPO)  # the variable wins over the repository's own file
    settings.cache_clear()
    try:
        assert settings().course_id == "named"
        assert settings_module.course_root() == tmp_path.resolve()
    finally:
        settings.cache_clear()


def test_outside_any_course_the_message_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv(settings_module.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError) as err:
        load()
    message = str(err.value)
    assert str(tmp_path.resolve()) in message and "course.toml" in message and settings_module.ENV_VAR in message
