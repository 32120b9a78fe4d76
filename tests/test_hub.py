"""The course on a real multi-user JupyterHub: real Unix accounts, PAM logins, configurable-http-proxy, Chromium.

Two participants and an instructor are created with ``coursekit.hub.setup`` (what ``deploy/setup-workshop-hub``
runs) from the course environment that ``make hub-env`` installs. The instructor releases the orientation;
each participant logs in, fetches it from the Assignment List, runs it, answers and submits; the instructor
collects, autogrades and returns feedback with ``coursekit``; each participant fetches their feedback. Then,
with participant 2's own rights, every way to reach keys or another's work is tried, and everything
participant 2 could reach is hashed before and after. Accounts, servers and folders are removed afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, run_all_cells, wait_idle

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
HUB_PREFIX = Path(os.environ.get("HUB_PREFIX", "/opt/cyber-diplomacy-hub"))
VENV = HUB_PREFIX / "venv"
PROXY = HUB_PREFIX / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
TOPIC = "00-orientation"
INSTRUCTOR, P1, P2 = "ckhub-inst", "ckhub-p1", "ckhub-p2"
GRADED = "orientation-graded-submit"


def answer_orientation(page, plan, answers: dict) -> None:
    """Give ``answers`` (exercise id -> value) in the open orientation notebook through its controls, as a
    participant does (the keyboard-only path is tested in tests/test_jupyterlab_browser.py), then wait until
    the kernel has saved each one."""
    from coursekit import Matching, MultipleSelect, Numeric, Ordering, Scenario, ShortText, SingleChoice

    for exercise_id, value in answers.items():
        ex = plan.all_exercises[exercise_id]
        box = page.locator(f".coursekit-exercise[aria-label$=' exercise {exercise_id}']")
        if isinstance(ex, (SingleChoice, MultipleSelect)):
            chosen = [value] if isinstance(ex, SingleChoice) else value
            for choice in ex.choices:
                if choice.value in chosen:
                    box.get_by_label(choice.text, exact=True).check()
        elif isinstance(ex, Matching):
            for left, right in value.items():
                box.get_by_label(left, exact=True).select_option(right)
        elif isinstance(ex, Ordering):
            for place, item in enumerate(value):  # move each item up to its place, top first
                now = box.locator(".coursekit-item").all_inner_texts().index(item)
                for _ in range(now - place):
                    box.get_by_role("button", name=f"Move up: “{item}”").click()
        elif isinstance(ex, Numeric):
            box.locator("input[type=number]").fill(f"{value:g}")
        elif isinstance(ex, ShortText):
            box.locator("textarea").fill(value)
        elif isinstance(ex, Scenario):
            for step_id, option in value:
                text = next(o.text for o in ex.step(step_id).options if o.value == option)
                box.get_by_label(text, exact=True).check()
                box.get_by_role("button", name="Decide").click()
        box.locator(".coursekit-status", has_text="Saved").wait_for(timeout=30_000)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1000)


def one_of_each_type(plan) -> dict:
    """A practice answer for every exercise type of the orientation, taken from its definitions."""
    answers = {}
    for exercise_id, ex in plan.all_exercises.items():
        if ex.mode != "practice":
            continue
        if ex.kind == "short-text":
            answers[exercise_id] = "A statement and a negotiating position."
        elif ex.kind == "scenario":
            path, step = [], ex.start
            while step is not None:
                option = ex.step(step).options[0]
                path.append([step, option.value])
                step = option.next_step
            answers[exercise_id] = path
        elif ex.kind == "multiple-select":
            answers[exercise_id] = [c.value for c in ex.choices if c.value in ex.key]  # saved in the options' order
        else:
            answers[exercise_id] = ex.key
    return answers


# Run with participant 2's rights: each attempt on keys, the gradebook or participant 1's work, by exact path
# (as if every name had leaked). Prints {attempt: "denied" | what happened}.
ATTACKS = r"""
import json, os, sys
t = json.loads(sys.argv[1])
def attempt(name, action):
    try:
        action()
        outcome = "DONE"
    except PermissionError:
        outcome = "denied"
    except OSError as err:
        outcome = f"{type(err).__name__}: {err}"
    results[name] = outcome
results = {}
for path in t["read"]:
    attempt(f"read {path}", lambda p=path: open(p, "rb").read(1))
for path in t["list"]:
    attempt(f"list {path}", lambda p=path: os.listdir(p))
for path in t["write"]:
    attempt(f"write {path}", lambda p=path: open(p, "r+b").write(b"{}"))
    attempt(f"replace {path}", lambda p=path: os.unlink(p))
for folder in t["create_in"]:
    attempt(f"create in {folder}", lambda f=folder: open(os.path.join(f, "coursekit_answers.json.new"), "xb"))
for folder in t["rename"]:
    attempt(f"rename {folder}", lambda f=folder: os.rename(f, f + ".mine"))
print(json.dumps(results))
"""


def attack_as(user: str, targets: dict) -> dict[str, str]:
    done = run_as(user, str(VENV / "bin" / "python"), "-c", ATTACKS, json.dumps(targets))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def targets(hub: dict, submission: Path) -> dict:
    """What participant 2 must not read or change: keys, gradebook, participant 1's work, the exchange's course."""
    root, course = hub["course_root"], hub["exchange"] / "cyber-diplomacy"
    p1_home = Path(pwd.getpwnam(P1).pw_dir)
    collected = root / "submitted" / P1 / TOPIC
    released = course / "outbound" / TOPIC
    feedback = [str(course / "feedback")] if (course / "feedback").is_dir() else []  # made by the first feedback
    return {
        "read": [
            str(root / "notebooks" / TOPIC / f"{TOPIC}.ipynb"),
            str(root / "gradebook.db"),
            str(root / "nbgrader_config.py"),
            str(collected / "coursekit_answers.json"),
            str(p1_home / TOPIC / "coursekit_answers.json"),
        ],
        "list": [str(root), str(course / "inbound"), *feedback, str(p1_home)],
        "write": [
            str(submission / "coursekit_answers.json"),
            str(submission / f"{TOPIC}.ipynb"),
            str(collected / "coursekit_answers.json"),
            str(released / f"{TOPIC}.ipynb"),
            str(p1_home / TOPIC / "coursekit_answers.json"),
        ],
        "create_in": [str(submission), str(collected), str(released), str(course), *feedback],
        "rename": [str(submission), str(course), str(released), str(root)],
    }


def tree_hashes(*roots: Path) -> dict[str, str]:
    """Every file, folder and link under ``roots``: content hash, mode and owner (what an attack would change)."""
    found = {}
    for root in roots:
        for path in [root, *sorted(root.rglob("*"))]:
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
            found[str(path)] = f"{oct(info.st_mode)} {info.st_uid} {digest}"
    return found


MY_COURSE_PROBE = r"""
import json, sys
from pathlib import Path
from coursekit.participant.submissions import submissions
found = submissions(Path.home())
print(json.dumps({"submitted": None if found is None else {t: [s.feedback_ready, s.feedback_fetched] for t, s in found.items()},
                  "nbgrader_imported": "nbgrader" in sys.modules}))
"""


def my_course_sees(hub: dict, user: str) -> dict:
    """What "My course" finds submitted, run as the participant with their server's Jupyter configuration."""
    settings = json.loads((hub["base"] / "etc" / "hub_settings.json").read_text())
    env = {"JUPYTER_CONFIG_PATH": str(Path(settings["jupyter_config"]) / "participant")}
    done = run_as(user, str(VENV / "bin" / "python"), "-c", MY_COURSE_PROBE, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_as(user: str, *command: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    from coursekit.hub.setup import as_user

    return as_user(user, list(command), cwd=cwd or Path(pwd.getpwnam(user).pw_dir), env=env, timeout=300)


def drop_account(name: str) -> None:
    """Remove one of this test's own accounts, ending by pid whatever still runs as it (a kernel left behind)."""
    import psutil

    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    left = [proc for proc in psutil.process_iter(["uids"]) if proc.info["uids"] and proc.info["uids"].real == uid]
    for proc in left:
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    psutil.wait_procs(left, timeout=15)
    subprocess.run(["userdel", "--remove", name], capture_output=True)
    assert name not in {entry.pw_name for entry in pwd.getpwall()}, f"the account {name} could not be removed"


def benchmark_stop(name: str) -> int | None:
    """For a hub benchmark: the exit status to stop with, having said why (0: skipped when not root, 1: something
    to install first), or None when it can run."""
    if os.geteuid() != 0:
        print(f"{name}: needs root (creates accounts); skipped")
        return 0
    problem = check_prerequisites()
    if problem:
        print(f"{name}: {problem}")
        return 1
    return None


def check_prerequisites() -> str | None:
    """Why the hub cannot run here (None if it can)."""
    for needed, how in (
        (CHROMIUM, "make system-deps"),
        (VENV / "bin" / "jupyterhub", "make hub-env"),
        (PROXY, "make hub-env"),
    ):
        if not Path(needed).exists():
            return f"{needed} is missing: run `{how}`."
    installed = subprocess.run(
        [
            str(VENV / "bin" / "python"),
            "-c",
            "import coursekit, pathlib; print(pathlib.Path(coursekit.__file__).parent)",
        ],
        capture_output=True,
        text=True,
    )
    stale = [
        p.name
        for p in (REPO / "src" / "coursekit").glob("*.py")
        if (Path(installed.stdout.strip()) / p.name).read_bytes() != p.read_bytes()
    ]
    if stale:
        return f"The hub's course environment has an older coursekit ({', '.join(stale)}): run `make hub-env`."
    return None


@contextlib.contextmanager
def running_hub(instructor: str, participants: list[str]) -> Iterator[dict]:
    """Accounts, course, exchange and a running JupyterHub on 127.0.0.1; everything removed afterwards."""
    users = [instructor, *participants]
    for name in users:
        drop_account(name)
    base = Path(tempfile.mkdtemp(prefix="coursekit-hub-"))
    base.chmod(0o755)
    roster = base / "roster.csv"
    roster.write_text(
        "id,first_name,last_name,email\n" + "".join(f"{p},First,Last,\n" for p in participants), encoding="utf-8"
    )
    roster.chmod(0o644)
    port = free_port()
    proc = None
    try:
        done = subprocess.run(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "coursekit.hub.setup",
                "--course",
                str(REPO),
                "--venv",
                str(VENV),
                "--roster",
                str(roster),
                "--instructor",
                instructor,
                "--etc",
                str(base / "etc"),
                "--exchange",
                str(base / "exchange"),
                "--state-dir",
                str(base / "state"),
                "--port",
                str(port),
                "--hub-port",
                str(free_port()),
                "--proxy-api-port",
                str(free_port()),
                "--proxy",
                str(PROXY),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        passwords = dict(line.split(",", 1) for line in (base / "etc" / "new-passwords.csv").read_text().split())
        course_root = Path(pwd.getpwnam(instructor).pw_dir) / "cyber-diplomacy"
        env = {"COURSEKIT_EXCHANGE": str(base / "exchange")}
        released = run_as(instructor, str(VENV / "bin" / "coursekit"), "release", TOPIC, cwd=course_root, env=env)
        assert released.returncode == 0, released.stdout + released.stderr
        ARTIFACTS.mkdir(exist_ok=True)
        log = open(ARTIFACTS / "hub.log", "w")
        proc = subprocess.Popen(
            [str(VENV / "bin" / "jupyterhub"), "-f", str(base / "etc" / "jupyterhub_config.py")],
            cwd=base / "state",
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/hub/login", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (ARTIFACTS / "hub.log").read_text()[-3000:]
                time.sleep(0.5)
        yield {
            "url": url,
            "passwords": passwords,
            "course_root": course_root,
            "exchange": base / "exchange",
            "env": env,
            "base": base,
            "pid": proc.pid,
        }
    finally:
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the servers it started
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for name in users:
            drop_account(name)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip(
            "The hub test creates Unix accounts and starts JupyterHub as root: run it as root "
            "(make test and .ci/run do)."
        )
    problem = check_prerequisites()
    if problem:
        pytest.fail(problem)
    with running_hub(INSTRUCTOR, [P1, P2]) as running:
        yield running


def start_login(browser, hub: dict, user: str):
    """Log in with the account's password; the hub then starts the user's server (not waited for)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{hub['url']}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub["passwords"][user])
    page.click("#login_submit")
    return page


def wait_for_lab(page):
    page.wait_for_url("**/lab**", timeout=120_000)
    page.wait_for_selector(".jp-LauncherCard", timeout=120_000)
    return page


def login(browser, hub: dict, user: str):
    return wait_for_lab(start_login(browser, hub, user))


def open_assignment_list(page) -> None:
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    page.get_by_role("menuitem", name="Assignment List", exact=True).click()


def fetch_run_answer_submit(page, hub_url: str, user: str, plan, answers: dict) -> float:
    """The participant's round; returns seconds from the Assignment List to a running orientation."""
    start = time.monotonic()
    open_assignment_list(page)
    page.get_by_role("button", name="Fetch", exact=True).click()
    page.locator("#fetched_assignments_list .assignment-notebooks-link").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / f"hub-{user}-fetched.png"))
    page.goto(f"{hub_url}/user/{user}/lab/tree/{TOPIC}/{TOPIC}.ipynb")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    wait_idle(page)
    run_all_cells(page)
    wait_idle(page)
    interactive = time.monotonic() - start
    answer_orientation(page, plan, answers)
    saved = json.loads((Path(pwd.getpwnam(user).pw_dir) / TOPIC / "coursekit_answers.json").read_text())["answers"]
    assert {k: v["value"] for k, v in saved.items()} == json.loads(json.dumps(answers))
    page.screenshot(path=str(ARTIFACTS / f"hub-{user}-answered.png"))
    open_assignment_list(page)
    page.get_by_role("button", name="Submit", exact=True).first.click()
    page.wait_for_function("document.body.innerText.includes('Fetch Feedback')", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / f"hub-{user}-submitted.png"))
    return interactive


def instructor_tools_hidden(page, hub_url: str) -> None:
    """Participant 2's JupyterLab offers the Assignment List and none of nbgrader's instructor tools."""
    page.get_by_role("menuitem", name="Nbgrader", exact=True).click()
    labels = {t.strip() for t in page.locator(".lm-Menu-itemLabel").all_inner_texts() if t.strip()}
    page.keyboard.press("Escape")
    assert "Assignment List" in labels
    assert not labels & {"Formgrader", "Formgrader (local)", "Create assignment", "Course List"}, labels
    for path in ("formgrader", "formgrader/api/assignments", "formgraders"):
        assert page.request.get(f"{hub_url}/user/{P2}/{path}").status == 404, path
    assert page.request.get(f"{hub_url}/user/{P2}/api/status").status == 200  # the same session reaches its own server


def test_a_class_on_the_hub(hub):
    from playwright.sync_api import sync_playwright

    from coursekit.core.scoring import score
    from coursekit.grading.hidden_tests import load_plan

    root: Path = hub["course_root"]
    plan = load_plan(root / "notebooks" / TOPIC / f"{TOPIC}.ipynb")  # the instructor's keys
    graded = plan.keyed[GRADED]
    values = [choice.value for choice in graded.choices]
    right = next(v for v in values if score(graded, v).points == graded.points)
    wrong = next(v for v in values if score(graded, v).points == 0)
    practice = one_of_each_type(plan)
    assert {plan.all_exercises[i].kind for i in practice} | {graded.kind} >= {
        "single-choice",
        "multiple-select",
        "matching",
        "ordering",
        "numeric",
        "short-text",
        "scenario",
    }
    answers = {P1: {**practice, GRADED: right}, P2: {GRADED: wrong}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            pages = {user: start_login(browser, hub, user) for user in (P1, P2)}  # both servers start at once
            for page in pages.values():
                wait_for_lab(page)
            # nothing submitted yet: "My course" says so without importing nbgrader (the nine o'clock saving)
            assert my_course_sees(hub, P1) == {"submitted": {}, "nbgrader_imported": False}
            for user in (P1, P2):
                fetch_run_answer_submit(pages[user], hub["url"], user, plan, answers[user])
            # after the private submit, nbgrader's listing answers, as the Assignment List does
            assert my_course_sees(hub, P1) == {"submitted": {TOPIC: [False, False]}, "nbgrader_imported": True}
            inbound = hub["exchange"] / "cyber-diplomacy" / "inbound"
            (submission,) = [d for d in inbound.iterdir() if d.name.startswith(f"{P1}+{TOPIC}+")]
            reachable = (hub["course_root"], hub["exchange"], Path(pwd.getpwnam(P1).pw_dir) / TOPIC)
            before = tree_hashes(*reachable)
            tried = attack_as(P2, targets(hub, submission))
            assert tried and set(tried.values()) == {"denied"}, {k: v for k, v in tried.items() if v != "denied"}
            assert tree_hashes(*reachable) == before
            # the same probe reports what an account may do: participant 1 reads their own submission
            own = str(submission / "coursekit_answers.json")
            assert attack_as(P1, {"read": [own], "list": [], "write": [], "create_in": [], "rename": []}) == {
                f"read {own}": "DONE"
            }
            coursekit = [str(VENV / "bin" / "coursekit")]
            for step in (["collect", TOPIC], ["autograde", TOPIC], ["feedback", TOPIC]):
                done = run_as(INSTRUCTOR, *coursekit, *step, cwd=root, env=hub["env"])
                assert done.returncode == 0, f"{step}: {done.stdout}{done.stderr}"
            before = tree_hashes(*reachable)
            tried = attack_as(P2, targets(hub, submission))
            assert len(tried) > 20 and set(tried.values()) == {"denied"}, {
                k: v for k, v in tried.items() if v != "denied"
            }
            assert tree_hashes(*reachable) == before
            instructor_tools_hidden(pages[P2], hub["url"])
            for user in (P1, P2):
                page = pages[user]
                open_assignment_list(page)
                page.get_by_role("button", name="Fetch Feedback", exact=True).first.click()
                page.get_by_text("view feedback").first.wait_for(timeout=60_000)
                page.screenshot(path=str(ARTIFACTS / f"hub-{user}-feedback.png"))
                assert my_course_sees(hub, user)["submitted"] == {TOPIC: [True, True]}, user
        except Exception:
            for user, page in locals().get("pages", {}).items():
                page.screenshot(path=str(ARTIFACTS / f"hub-{user}-failed.png"))
            raise
        finally:
            browser.close()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "cyber-diplomacy") as gb:
        for user in (P1, P2):
            expected = sum(score(plan.keyed[i], answers[user][i]).points for i in plan.keyed)
            assert gb.find_submission(TOPIC, user).score == pytest.approx(expected), user
    for user in (P1, P2):
        pages_found = list((Path(pwd.getpwnam(user).pw_dir) / TOPIC / "feedback").rglob(f"{TOPIC}.html"))
        assert len(pages_found) == 1, user
        text = pages_found[0].read_text(encoding="utf-8")
        earned = sum(score(plan.keyed[i], answers[user][i]).points for i in plan.keyed)
        possible = sum(float(ex.points) for ex in plan.keyed.values())
        assert f"Participant: {user}<" in text and f"Total: {earned:g} of {possible:g} points" in text, user
