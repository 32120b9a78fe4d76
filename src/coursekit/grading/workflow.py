"""The instructor's workflow on top of nbgrader: release, feedback, roster and due dates.

Each step checks what it produced, so a mistake is caught before participants or the gradebook see it.
Collecting lives in :mod:`coursekit.grading.collect`, autograding in :mod:`coursekit.grading.autograde`, the export in
:mod:`coursekit.analysis.gradebook_export`.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..core import atomic
from ..core.settings import FILE_NAME as SETTINGS_FILE
from ..core.settings import course_file
from .course import Course, CourseError, terminal_safe, valid_student_id
from .leaks import scan
from .plans import PlanError, load_plan, write_plan

EXCHANGE_MODE = 0o1777  # everyone may submit; the sticky bit stops anyone replacing another's folder


def ensure_exchange(course: Course) -> None:
    """Create the exchange with mode 1777, or refuse one that is world-writable without the sticky bit.

    An existing exchange is never changed: on a shared machine its mode is the administrator's decision,
    and a wrong one is a one-line error saying what to run.
    """
    exchange = course.exchange
    if not exchange.exists():
        exchange.mkdir(parents=True)
        os.chmod(exchange, EXCHANGE_MODE)
        return
    mode = stat.S_IMODE(os.lstat(exchange).st_mode)
    if exchange.is_symlink() or mode != EXCHANGE_MODE:
        raise CourseError(
            f"The exchange {exchange} has mode {mode:o}; it must be a folder with mode 1777 (writable by all, "
            f"sticky bit set) so participants can submit but not replace each other's work: run "
            f"`chmod 1777 {exchange}` as its owner."
        )


def seal_inbound(course: Course) -> None:
    """Add the sticky bit to the course's inbound folder, which nbgrader creates without one.

    Participants may create submission folders there (it is writable by all) but, with the sticky bit, not
    rename or remove another participant's, even one whose name they have learnt.
    """
    inbound = course.exchange / course.course_id / "inbound"
    if inbound.is_dir() and not inbound.is_symlink():
        os.chmod(inbound, stat.S_IMODE(os.lstat(inbound).st_mode) | stat.S_ISVTX)


def _up_to_date(course: Course, topic: str) -> bool:
    """True when release/TOPIC is newer than everything it is generated from."""
    released = list((course.release / topic).glob("*.ipynb"))
    if not released:
        return False
    inputs = [
        *(course.source / topic).rglob("*"),
        *(course.root / name for name in ("nbgrader_config.py", "_config.yml", SETTINGS_FILE)),
    ]
    newest_input = max((p.stat().st_mtime for p in inputs if p.is_file()), default=0.0)
    return min(p.stat().st_mtime for p in released) > newest_input


def generate_release(course: Course, topic: str, *, force: bool = True) -> Path:
    """Build ``release/TOPIC`` from the source and refuse it if any key, hidden test or solution is inside.

    The topic's plan is compiled first (written only if it changed), so what is graded is what is released.
    With ``force=False`` (the book) a release newer than its sources is kept as it is (it is still checked for
    leaks), and so is a plan compiled from the notebook's present code.
    """
    folder = course.release / topic
    notebook = course.source_notebook(topic)
    try:
        plan = None if force else load_plan(notebook)
    except PlanError:
        plan = None
    if plan is None:
        write_plan(notebook)
        plan = load_plan(notebook)
    if force or not _up_to_date(course, topic):
        run = course.api_call("generate_assignment", topic, force=True)
        if not run.ok:
            raise CourseError(f"nbgrader could not generate {topic}: {run.last_error()}")
        _prepare_for_participants(course, folder)
    leaks = scan([folder], plan.leak_secrets())
    if leaks:
        shutil.rmtree(folder)
        listing = "\n  ".join(str(leak) for leak in leaks[:10])
        raise CourseError(f"Refusing to release {topic}: the release would contain secrets:\n  {listing}")
    return folder


def _prepare_for_participants(course: Course, folder: Path) -> None:
    """Point the notebook's ``glossary:`` links at the published book's glossary and fold away its code.

    Also put a copy of the course's settings beside the notebook: a participant's kernel finds the nearest
    ``course.toml`` upward of the notebook, and an assignment fetched into a home folder has no course root
    above it (the settings hold no key: id, title, dates, outcomes).

    Also label the hidden-test cells that nbgrader emptied, and record the kernel's full ``language_info``: the
    stripped source keeps only its name, and JupyterLab fills the rest in when the kernel starts, which marked
    every notebook as changed (the unsaved-changes dot) the moment it was opened.
    """
    import nbformat
    from nbgrader.utils import compute_checksum

    from ..core.glossary import glossary_links_to_urls, glossary_terms
    from .authoring import GRADED_HERE, hide_code

    shutil.copy2(course_file(course.root), folder / SETTINGS_FILE)
    url, terms = course.glossary_url, glossary_terms(course.root)
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and "](glossary:" in cell.source:
                cell.source = glossary_links_to_urls(cell.source, url, terms)
            elif _emptied_test_cell(cell):
                cell.source = GRADED_HERE
                cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)  # nbgrader validate compares it
        hide_code(nb)
        nb.metadata["language_info"] = kernel_language_info()
        nbformat.write(nb, path)


def _emptied_test_cell(cell) -> bool:
    """A locked nbgrader cell whose hidden tests (a check, or a model answer) nbgrader removed, leaving nothing."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade") or meta.get("locked")) and not cell.source.strip()


def kernel_language_info() -> dict:
    """The ``language_info`` a participant's kernel reports: ipykernel's, in the environment that releases.

    The release is built where participants' kernels run (the hub's course environment, Binder's image, the
    local ``.venv``), so the notebook opens unchanged.
    """
    import copy

    from ipykernel.ipkernel import IPythonKernel

    return copy.deepcopy(IPythonKernel.language_info)


def release(
    course: Course,
    topics: list[str],
    *,
    to_exchange: bool = True,
    force: bool = True,
    then: Callable[[str], None] | None = None,
) -> list[Path]:
    """Generate (and by default release to the exchange) every topic in ``topics``.

    ``force=False`` regenerates only topics whose sources changed (used by the book build). ``then`` is called
    with each topic as soon as its release is ready (the book build starts executing its notebook then).
    """
    folders = []
    for n, topic in enumerate(topics, start=1):
        print(f"[{n}/{len(topics)}] generating {topic}", flush=True)
        folders.append(generate_release(course, topic, force=force))
        if then is not None:
            then(topic)
        if to_exchange:
            ensure_exchange(course)
            run = course.nbgrader("release_assignment", topic, "--force")
            if not run.ok:
                raise CourseError(f"nbgrader could not release {topic}: {run.last_error()}")
            seal_inbound(course)
    return folders


@dataclass
class FeedbackRun:
    """The feedback pages written for one topic, and who got none and why."""

    topic: str
    keys: bool
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    no_due_date: bool = False  # returned with no due date set: later submissions are refused at collect


def feedback(
    course: Course,
    topics: list[str],
    *,
    keys: bool = False,
    before_due_date: bool = False,
    now: datetime | None = None,
) -> list[FeedbackRun]:
    """Write a feedback page per graded submission, scan them for leaks, and return them through the exchange.

    Pages hold correct answers and explanations only with ``keys=True``. Before a topic's due date no page
    goes out, with keys or without, unless ``before_due_date`` says so: a page shows scores, and the score of
    a single-choice item is its key, which anyone who has not yet submitted could use. Every participant who
    gets a page is recorded (:func:`coursekit.grading.collect.record_feedback_returned`), so a submission of
    theirs that arrives later is refused at collect unless the instructor names them. A topic with no graded
    submission is reported, not an error.

    All or nothing per topic: every participant's page is built, and everything nbgrader needs to return it
    checked (a plain id, the submission secret and time nbgrader matches pages by), before any page is
    written or returned. A participant who fails a check gets no page and is named with what to do; any other
    page in the topic's feedback folders (one formgrader's Generate Feedback button wrote, for instance) is
    removed first, so nbgrader's return never stops half-way through the class on a folder it cannot match.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from .collect import record_feedback_returned, record_keys_released
    from .term_tools import running_extensions

    now = now or datetime.now(timezone.utc)
    runs = []
    for topic in topics:
        plan = load_plan(course.source_notebook(topic))
        run = FeedbackRun(topic, keys)
        runs.append(run)
        ready: dict[str, tuple[str, dict[str, str]]] = {}  # student -> (page, files nbgrader matches it by)
        with Gradebook(course.db_url, course.course_id) as gb:
            try:
                assignment = gb.find_assignment(topic)
            except MissingEntry:
                run.skipped.append("the topic is not in the gradebook (not released)")
                continue
            due = assignment.duedate.replace(tzinfo=timezone.utc) if assignment.duedate else None
            if due and now < due and not before_due_date:
                shown = "with keys" if keys else "scores alone (for a single-choice item the score is its key)"
                raise CourseError(
                    f"{topic} is due {due:%Y-%m-%d %H:%M} UTC: feedback before then, {shown}, would help anyone who "
                    "has not submitted yet. Add --before-due-date if you mean it."
                )
            waiting = running_extensions(course, topic, due, now) if due and not before_due_date else []
            if waiting:
                raise CourseError(
                    f"{topic}: the extension of {', '.join(map(terminal_safe, waiting))} still runs, and feedback now "
                    "would show scores (for a single-choice item, its key) before they submit. Wait until it ends, "
                    "or add --before-due-date if you mean it."
                )
            run.no_due_date = due is None
            for submission in assignment.submissions:
                student = submission.student.id
                try:
                    ready[student] = _prepare_page(course, gb, plan, submission, keys)
                except CourseError as err:
                    run.skipped.append(f"{terminal_safe(student)}: {err}")
                except Exception as err:  # one participant's data must never cost the others their page
                    run.skipped.append(
                        f"{terminal_safe(student)}: the page could not be built ({type(err).__name__}); "
                        "run coursekit autograde for this participant, then feedback again"
                    )
        _clear_other_pages(course, topic, set(ready), run)
        if not ready:
            run.skipped.append("no graded submission")
            continue
        for student, (page, matching) in ready.items():
            folder = course.root / "feedback" / student / topic
            atomic.write_text(folder / f"{Path(plan.notebook).stem}.html", page)
            for name, text in matching.items():
                atomic.write_text(folder / name, text)
            run.written.append(student)
        leaks = scan(
            [course.root / "feedback" / s / topic for s in run.written],
            plan.leak_secrets(answers=not keys),
        )
        if leaks:
            for student in run.written:
                shutil.rmtree(course.root / "feedback" / student / topic, ignore_errors=True)
            raise CourseError(f"Refusing to return feedback for {topic}: it would contain {leaks[0]}")
        if course.exchange.is_dir():
            done = course.api_call("release_feedback", topic)
            if not done.ok:
                raise CourseError(f"nbgrader could not return feedback for {topic}: {done.last_error()}")
        record_feedback_returned(course, topic, run.written, now)
        if keys:
            record_keys_released(course, topic, now)
    return runs


def _prepare_page(course: Course, gb: Any, plan: Any, submission: Any, keys: bool) -> tuple[str, dict[str, str]]:
    """One participant's page and the files nbgrader returns it by; CourseError says what is missing."""
    from .feedback_page import submission_page

    student = submission.student.id
    if not valid_student_id(student):
        raise CourseError("not a plain student id")
    submitted = course.submitted / student / plan.topic
    matching = {}
    for name in ("timestamp.txt", "submission_secret.txt"):  # what nbgrader matches feedback by
        path = submitted / name
        if path.is_symlink() or not path.is_file():
            raise CourseError(
                f"no {name} in the collected submission (it was not submitted through nbgrader, e.g. a folder "
                "made by hand), so the page could not be matched to the participant: ask them to submit from "
                "the Assignment List, collect and autograde, then run feedback again"
            )
        matching[name] = path.read_text(encoding="utf-8", errors="replace")[:1000]
    if not matching["submission_secret.txt"].strip():
        raise CourseError("the submission secret is empty: ask them to submit again from the Assignment List")
    return submission_page(course, gb, plan, submission, keys), matching


def _clear_other_pages(course: Course, topic: str, keep: set[str], run: FeedbackRun) -> None:
    """Remove the topic's feedback folders of anyone not in ``keep`` (pages coursekit did not just check)."""
    base = course.root / "feedback"
    if not base.is_dir():
        return
    for student_dir in base.iterdir():
        folder = student_dir / topic
        if student_dir.name in keep or not (folder.is_dir() or folder.is_symlink()):
            continue
        if folder.is_symlink():
            folder.unlink()
        else:
            shutil.rmtree(folder)
        shown = terminal_safe(student_dir.name)
        if not any(reason.startswith(f"{shown}:") for reason in run.skipped):
            run.skipped.append(f"{shown}: an older page (not written by this run) was removed, not returned")


ROSTER_COLUMNS = ("id", "first_name", "last_name", "email")
MAX_ROSTER_FIELD = 254  # characters: the longest e-mail address there can be; names are shorter


def read_roster(path: Path) -> list[dict[str, str]]:
    """Every row of a roster CSV (id, first_name, last_name, email), each id checked and stripped.

    The whole file is checked first: a missing column, a bad or repeated id, or a file that is not UTF-8
    CSV is one clear error naming the line. The hub set-up reads the same file to create login accounts.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise CourseError(f"The roster {path} cannot be read as UTF-8 CSV ({err}).") from None
    missing = [c for c in ("id",) if c not in header]
    if not rows or missing:
        raise CourseError(
            f"The roster {path} needs a header line with the columns {', '.join(ROSTER_COLUMNS)} "
            "(only id is required) and one line per participant."
        )
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        student = (row.get("id") or "").strip()
        if not valid_student_id(student):
            raise CourseError(
                f"{path}, line {n}: {terminal_safe(student)!r} is not a usable id (letters, digits, "
                "'.', '_', '-', '@', '+'; the participant's login name on the hub)."
            )
        if student in seen:
            raise CourseError(f"{path}, line {n}: the id {student} appears twice.")
        seen.add(student)
        long = [c for c in ROSTER_COLUMNS[1:] if len(row.get(c) or "") > MAX_ROSTER_FIELD]
        if long:
            raise CourseError(
                f"{path}, line {n}: {', '.join(long)} is longer than {MAX_ROSTER_FIELD} characters; no name or "
                "address is that long (is the file a roster?)."
            )
    return [{"id": row["id"].strip(), **{c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS[1:]}} for row in rows]


def load_roster(course: Course, path: Path) -> int:
    """Add or update every participant of a roster CSV (see :func:`read_roster`) in the gradebook.

    Nothing is written unless the whole file is valid.
    """
    from nbgrader.api import Gradebook

    rows = read_roster(path)
    with Gradebook(course.db_url, course.course_id) as gb:
        for row in rows:
            gb.update_or_create_student(row["id"], **{c: row[c] or None for c in ROSTER_COLUMNS[1:]})
    return len(rows)


def set_due_date(course: Course, topic: str, when: str) -> datetime:
    """Record ``topic``'s due date in the gradebook (any date nbgrader reads; UTC unless a zone is given)."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    try:
        due = parse_utc(when)
    except (ValueError, OverflowError):
        raise CourseError(
            f"{when!r} is not a date: write it like '2026-05-20 17:00' (UTC) or '2026-05-20 17:00 Europe/Bucharest'."
        ) from None
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_assignment(topic, duedate=due)
    return due
