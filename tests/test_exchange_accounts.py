"""A hostile class on a shared exchange, with real Unix accounts: times, ids and keyed feedback that no
participant can bend.

Five participants, each a local account made here (as root), submit with nbgrader's own submit (the
course's PrivateSubmit) or by hand, with their own rights; the instructor is root, who collects first with
``nbgrader collect`` (which must go through the course's collector), then with ``coursekit collect``.

* ``ck26-ontime`` submits the right answer before the due date;
* ``ck26-wrong`` submits a wrong answer before the due date, and after the keys are released submits the
  keyed answer in a folder named two seconds before the due date;
* ``ck26-backdate`` submits after the due date and renames the folder to an hour before it;
* ``ck26-handmade`` makes a submission folder by hand (no ``submission_secret.txt``);
* ``ck26-thief`` makes a folder named for ``ck26-ontime`` (an id with an account) and one for ``ck26-ghost``
  (an id without one).
Root also makes a folder for ``solo-id`` (no account): what a single-user exchange looks like.

Accounts and folders are removed afterwards.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Participants run the system's Python of the same version with this environment's packages and this
# checkout's coursekit on their path: this environment's own interpreter may sit in a folder only root enters.
PARTICIPANT_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
PARTICIPANT_PATH = os.pathsep.join(
    [str(REPO / "src"), *dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib"))]
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root to create local accounts"),
    pytest.mark.skipif(not PARTICIPANT_PYTHON.exists(), reason=f"needs {PARTICIPANT_PYTHON} for the participants"),
]
TOPIC = "00-orientation"
GRADED = "orientation-graded-submit"
RIGHT, WRONG = "In a file beside the notebook, coursekit_answers.json", "Only on the screen, in the widgets"
ONTIME, WRONG_ID, BACKDATE, HANDMADE, THIEF = (
    "ck26-ontime",
    "ck26-wrong",
    "ck26-backdate",
    "ck26-handmade",
    "ck26-thief",
)
ACCOUNTS = (ONTIME, WRONG_ID, BACKDATE, HANDMADE, THIEF)
STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"

# Run as a participant: nbgrader's submit through the course's exchange class, then (optionally) rename the
# new folder to a chosen time. argv: home, course id, exchange, topic, new time or "".
SUBMIT = r"""
import os, sys
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from coursekit.hub.exchange import PrivateSubmit
home, course_id, exchange, topic, rename = sys.argv[1:6]
c = Config()
c.CourseDirectory.course_id = course_id
c.CourseDirectory.root = home
c.CourseDirectory.assignment_id = topic
c.Exchange.root = exchange
c.Exchange.cache = os.path.join(home, ".nbgrader-cache")
submit = PrivateSubmit(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)
submit.start()
name = submit.assignment_filename
if rename:
    user, rest = name.split("+" + topic + "+", 1)
    new = f"{user}+{topic}+{rename}"
    os.rename(os.path.join(submit.inbound_path, name), os.path.join(submit.inbound_path, new))
    name = new
print(name)
"""

# Run as a participant: a submission folder made by hand. argv: inbound, folder name, release folder, answers.
BY_HAND = r"""
import os, shutil, sys
inbound, name, release, answers = sys.argv[1:5]
folder = os.path.join(inbound, name)
os.mkdir(folder)
for entry in os.listdir(release):
    shutil.copy(os.path.join(release, entry), folder)
with open(os.path.join(folder, "coursekit_answers.json"), "w") as handle:
    handle.write(answers)
"""


def answers(value: str) -> str:
    return json.dumps(
        {
            "format": "coursekit-answers",
            "version": 1,
            "answers": {GRADED: {"value": value, "saved_at": "2026-05-19T10:00:00+00:00", "attempts": 1}},
        }
    )


def as_user(user: str, script: str, *args: str) -> str:
    from coursekit.hub.setup import as_user as run

    done = run(
        user,
        [str(PARTICIPANT_PYTHON), "-c", script, *args],
        cwd=Path(pwd.getpwnam(user).pw_dir),
        env={"PYTHONPATH": PARTICIPANT_PATH},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def cli(root: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursekit.cli", *args, "--course", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def drop_account(name: str) -> None:
    """Remove one of this test's own accounts, ending by pid whatever still runs as it."""
    import psutil

    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
    for proc in left:
        proc.kill()
    psutil.wait_procs(left, timeout=15)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


def give_home_copy(user: str, release: Path, value: str) -> Path:
    """The released topic in the participant's home, with their answers file, owned by them."""
    account = pwd.getpwnam(user)
    home = Path(account.pw_dir)
    folder = home / TOPIC
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(release, folder)
    (folder / "coursekit_answers.json").write_text(answers(value), encoding="utf-8")
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, account.pw_uid, account.pw_gid)
    return home


@pytest.fixture(scope="module")
def hostile_class():
    from coursekit.grading.course import Course
    from coursekit.grading.workflow import release
    from coursekit.hub.setup import ensure_account

    for name in ACCOUNTS:
        drop_account(name)
    base = Path(tempfile.mkdtemp(prefix="coursekit-accounts-"))
    base.chmod(0o755)  # participants reach the exchange inside it
    saved = {k: os.environ.get(k) for k in ("COURSEKIT_EXCHANGE", "COURSEKIT_DB_URL")}
    try:
        for name in ACCOUNTS:
            ensure_account(name)
        root, exchange = base / "course", base / "exchange"
        root.mkdir(mode=0o700)
        shutil.copy(REPO / "nbgrader_config.py", root)
        shutil.copy(REPO / "_config.yml", root)
        shutil.copytree(REPO / "notebooks" / TOPIC, root / "notebooks" / TOPIC)
        os.environ["COURSEKIT_EXCHANGE"] = str(exchange)
        os.environ.pop("COURSEKIT_DB_URL", None)
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        course = Course(root)
        release(course, [TOPIC])
        exchange.chmod(0o1777)
        inbound = exchange / course.course_id / "inbound"
        published = exchange / course.course_id / "outbound" / TOPIC
        submit = [str(x) for x in (course.course_id, exchange, TOPIC)]
        for user, value in ((ONTIME, RIGHT), (WRONG_ID, WRONG)):
            as_user(user, SUBMIT, str(give_home_copy(user, published, value)), *submit, "")
        due = datetime.now(timezone.utc)
        time.sleep(1.5)
        backdated = (due - timedelta(hours=1)).strftime(STAMP)
        as_user(BACKDATE, SUBMIT, str(give_home_copy(BACKDATE, published, WRONG)), *submit, backdated)
        now = datetime.now(timezone.utc).strftime(STAMP)
        as_user(HANDMADE, BY_HAND, str(inbound), f"{HANDMADE}+{TOPIC}+{now}", str(published), answers(RIGHT))
        as_user(THIEF, BY_HAND, str(inbound), f"{ONTIME}+{TOPIC}+{now}", str(published), answers(WRONG))
        as_user(THIEF, BY_HAND, str(inbound), f"ck26-ghost+{TOPIC}+{now}", str(published), answers(RIGHT))
        solo = inbound / f"solo-id+{TOPIC}+{now}"  # made by the collecting account itself
        shutil.copytree(published, solo)
        (solo / "coursekit_answers.json").write_text(answers(RIGHT), encoding="utf-8")
        (solo / "submission_secret.txt").write_text("a secret nbgrader's submit would have written")
        assert cli(root, env, "duedate", TOPIC, due.strftime(STAMP)).returncode == 0
        steps = {}
        steps["nbgrader collect"] = subprocess.run(
            [sys.executable, "-m", "nbgrader", "collect", TOPIC],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        steps["collect"] = cli(root, env, "collect", TOPIC)
        steps["autograde"] = cli(root, env, "autograde", TOPIC)
        # formgrader's Generate Feedback button, pressed before the course's feedback
        steps["generate_feedback"] = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_feedback", TOPIC, "--force"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        button_page = (root / "feedback" / WRONG_ID / TOPIC / f"{TOPIC}.html").read_text(encoding="utf-8")
        steps["feedback"] = cli(root, env, "feedback", TOPIC, "--keys")
        secrets = {  # what nbgrader names each returned page by (a resubmission brings a new one)
            p.parent.parent.name: p.read_text() for p in (root / "submitted").glob(f"*/{TOPIC}/submission_secret.txt")
        }
        # after the keys: the wrong participant files the keyed answer, named two seconds before the due date
        time.sleep(1.1)
        early = (due - timedelta(seconds=2)).strftime(STAMP)
        as_user(WRONG_ID, SUBMIT, str(give_home_copy(WRONG_ID, published, RIGHT)), *submit, early)
        steps["collect after keys"] = cli(root, env, "collect", TOPIC)
        steps["autograde after keys"] = cli(root, env, "autograde", TOPIC, "--student", WRONG_ID)
        steps["export after keys"] = cli(root, env, "export", "-o", str(root / "refused.csv"))
        steps["accepted by name"] = cli(root, env, "collect", TOPIC, "--accept-after-keys", WRONG_ID)
        steps["autograde accepted"] = cli(root, env, "autograde", TOPIC, "--student", WRONG_ID)
        steps["export"] = cli(root, env, "export", "-o", str(root / "grades.csv"))
        steps["report"] = cli(root, env, "report", "-o", str(root / "report.html"))
        yield {
            "course": course,
            "steps": steps,
            "root": root,
            "exchange": exchange,
            "due": due,
            "secrets": secrets,
            "button_page": button_page,
        }
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for name in ACCOUNTS:
            drop_account(name)
        shutil.rmtree(base, ignore_errors=True)


def _scores(path: Path) -> dict[str, float]:
    import pandas as pd

    table = pd.read_csv(path)
    return table[table.exercise_id == GRADED].set_index("student")["score"].to_dict()


def test_every_class_wide_command_finished(hostile_class):
    for name, done in hostile_class["steps"].items():
        assert done.returncode == 0, f"{name}: {done.stdout[-2000:]}{done.stderr[-2000:]}"


def test_nbgrader_collect_goes_through_the_course_collector(hostile_class):
    log = hostile_class["steps"]["nbgrader collect"].stdout + hostile_class["steps"]["nbgrader collect"].stderr
    assert "Not taken: ck26-ghost" in log and "has no local account" in log
    assert f"belongs to {THIEF}, not to {ONTIME}" in log
    # the course's collector wrote the time itself: the exchange's, after the due date, not the name's
    from nbgrader.utils import parse_utc

    written = (hostile_class["root"] / "submitted" / BACKDATE / TOPIC / "timestamp.txt").read_text()
    assert parse_utc(written).replace(tzinfo=timezone.utc) > hostile_class["due"]
    assert "unchanged" in hostile_class["steps"]["collect"].stdout  # coursekit collect found it all done


def test_a_folder_made_for_another_id_is_refused_with_and_without_accounts(hostile_class):
    root = hostile_class["root"]
    assert (
        json.loads((root / "submitted" / ONTIME / TOPIC / "coursekit_answers.json").read_text())["answers"][GRADED][
            "value"
        ]
        == RIGHT
    )  # the honest submission, not the thief's newer one
    assert not (root / "submitted" / "ck26-ghost").exists()
    assert (root / "submitted" / "solo-id" / TOPIC / "coursekit_answers.json").is_file()  # single-user: trusted
    scores = _scores(root / "grades.csv")
    assert scores[ONTIME] == 1 and "ck26-ghost" not in scores and scores["solo-id"] == 1


def test_a_backdated_folder_name_is_flagged_late_and_reported(hostile_class):
    graded = hostile_class["steps"]["autograde"].stdout
    late = [line.split()[1] for line in graded.splitlines() if line.startswith(TOPIC) and line.endswith(", late")]
    assert BACKDATE in late and ONTIME not in late and WRONG_ID not in late
    notes = hostile_class["steps"]["nbgrader collect"].stdout + hostile_class["steps"]["nbgrader collect"].stderr
    assert f"{BACKDATE} ({TOPIC}): the submission folder's name says" in notes


def test_a_resubmission_after_the_keys_is_refused_then_flagged_when_accepted_by_name(hostile_class):
    steps, root = hostile_class["steps"], hostile_class["root"]
    refused = [line for line in steps["collect after keys"].stdout.splitlines() if WRONG_ID in line]
    assert any("after the keys of" in line and f"--accept-after-keys {WRONG_ID}" in line for line in refused), refused
    assert WRONG_ID not in steps["collect after keys"].stdout.split("\n")[0]  # not among those collected
    assert _scores(root / "refused.csv")[WRONG_ID] == 0  # still the wrong answer given on time
    assert "taken after the keys were released, as you asked" in steps["accepted by name"].stdout
    assert _scores(root / "grades.csv")[WRONG_ID] == 1
    wide = (root / "grades-wide.csv").read_text(encoding="utf-8")
    row = next(line for line in wide.splitlines() if line.startswith(WRONG_ID))
    assert "after the keys were released" in row
    assert "after the keys were released" in (root / "report.html").read_text(encoding="utf-8")
    assert "after the keys were released" in steps["export"].stdout


def test_a_handmade_submission_does_not_stop_keyed_feedback_for_the_others(hostile_class):
    from nbgrader.utils import notebook_hash

    from coursekit.grading.hidden_tests import load_plan

    steps, root = hostile_class["steps"], hostile_class["root"]
    assert steps["generate_feedback"].returncode == 0
    out = steps["feedback"].stdout
    assert f"{HANDMADE}: no submission_secret.txt" in out and "Assignment List" in out
    released = hostile_class["exchange"] / "cyber-diplomacy" / "feedback"
    pages = sorted(released.glob("*.html"))
    explanation = load_plan(root / "notebooks" / TOPIC / f"{TOPIC}.ipynb").hidden[GRADED].explanation
    others = [ONTIME, WRONG_ID, BACKDATE, "solo-id"]
    assert len(pages) == len(others)  # one page each, nothing for the hand-made submission
    for student in others:
        page = released / f"{notebook_hash(secret=hostile_class['secrets'][student], notebook_id=TOPIC)}.html"
        assert page in pages, student
        text = page.read_text(encoding="utf-8")
        assert "Correct answer" in text and explanation[:60] in text, student


def test_formgraders_generate_feedback_button_writes_the_course_page_without_keys(hostile_class):
    from coursekit.grading.hidden_tests import load_plan

    page = hostile_class["button_page"]
    explanation = load_plan(hostile_class["root"] / "notebooks" / TOPIC / f"{TOPIC}.ipynb").hidden[GRADED].explanation
    assert f"<h1>Feedback: {TOPIC}</h1>" in page and "Your answer" in page and "Score: 0 of 1 point" in page
    assert "Correct answer" not in page and explanation[:60] not in page
    assert "<script" not in page and "BEGIN HIDDEN TESTS" not in page and "check(" not in page
