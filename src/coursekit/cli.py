"""The ``coursekit`` command line for authors and instructors.

Every subcommand has ``--help``; errors are one clear sentence on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .core.settings import SettingsError, settings
from .grading.authoring import AuthoringError, source_notebooks, stamp_file
from .grading.course import Course, CourseError, terminal_safe

if TYPE_CHECKING:
    from .analysis.classdata import ClassData


def _author(args: argparse.Namespace) -> int:
    from .grading.plans import plan_path, write_plan

    paths = [Path(p) for p in args.paths] or source_notebooks(Path(args.source))
    if not paths:
        print(f"No notebooks found under {args.source}/<assignment>/.", file=sys.stderr)
        return 2
    changed, plans = [], []
    for path in paths:
        try:
            if stamp_file(path, check_only=args.check):
                changed.append(path)
            # checking, a notebook that still needs stamping is reported once, not also for its plan
            if not (args.check and path in changed) and write_plan(path, check_only=args.check):
                plans.append(plan_path(path))
        except (AuthoringError, CourseError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    verb = "would change" if args.check else "stamped"
    for path in changed:
        print(f"{verb}: {path}")
    for path in plans:
        print(f"{'plan would change' if args.check else 'plan written'}: {path}")
    if args.check and (changed or plans):
        print("Run `coursekit author` and commit the result.", file=sys.stderr)
        return 1
    print(
        f"{len(paths)} notebook(s) checked, {len(changed)} {verb}, {len(plans)} plan(s) {verb if args.check else 'written'}."
    )
    return 0


def _release(args: argparse.Namespace) -> int:
    from .grading.workflow import release

    course = Course(args.course)
    topics = course.check_topics(args.topics)
    folders = release(course, topics, to_exchange=not args.no_exchange)
    print(
        f"Released {len(folders)} topic(s) into {course.release}"
        + ("" if args.no_exchange else f" and {course.exchange}")
    )
    return 0


def _collect(args: argparse.Namespace) -> int:
    from .grading.collect import collect
    from .grading.workflow import ensure_exchange

    course = Course(args.course)
    (topic,) = course.check_topics([args.topic])
    ensure_exchange(course)
    done = collect(course, topic, accept_after_keys=args.accept_after_keys or ())
    print(f"{len(done.collected)} submission(s) of {topic} collected: {', '.join(done.collected) or 'none'}")
    if done.after_keys:
        print(
            f"{len(done.after_keys)} taken after the keys were released, as you asked (flagged in the export and "
            f"report): {', '.join(done.after_keys)}"
        )
    if done.after_feedback:
        print(
            f"{len(done.after_feedback)} taken after their feedback page went out, as you asked (flagged in the "
            f"autograde summary, export and report): {', '.join(done.after_feedback)}"
        )
    if done.unchanged:
        print(f"{len(done.unchanged)} already collected and unchanged: {', '.join(done.unchanged)}")
    for note in done.notes:
        print(f"  note: {terminal_safe(note)}")
    if done.refused:
        print(f"{len(done.refused)} submission(s) not taken:")
        for student, why in done.refused.items():
            print(f"  {terminal_safe(student)}: {terminal_safe(why)}")
    return 0


def _autograde(args: argparse.Namespace) -> int:
    from .grading.autograde import autograde, summary_table

    course = Course(args.course)
    topics = course.check_topics(args.topics)
    results = autograde(course, topics, args.student or None, jobs=args.jobs)
    print(summary_table(results))
    failed = [r for r in results if r.status == "not graded"]
    if failed:
        print(
            f"\n{len(failed)} submission(s) could not be graded: "
            + ", ".join(f"{r.student} ({r.topic})" for r in failed),
            file=sys.stderr,
        )
        return 1
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from .grading.workflow import feedback

    course = Course(args.course)
    topics = course.check_topics(args.topics)
    for run in feedback(course, topics, keys=args.keys, before_due_date=args.before_due_date):
        with_keys = "with answers and explanations" if run.keys else "scores and comments only (no keys)"
        print(f"{run.topic}: {len(run.written)} feedback page(s), {with_keys}")
        if run.no_due_date and run.written:
            print(
                f"  note: {run.topic} has no due date; a later submission by anyone who got a page is refused at "
                "collect unless you name them (--accept-after-feedback ID)"
            )
        for reason in run.skipped:
            print(f"  not returned: {reason}")
    print(f"Pages are in {course.root / 'feedback'}; participants fetch them with the Assignment List.")
    return 0


def _roster(args: argparse.Namespace) -> int:
    from .grading.workflow import load_roster

    course = Course(args.course)
    count = load_roster(course, Path(args.file))
    print(f"{count} participant(s) in the gradebook from {args.file}")
    return 0


def _duedate(args: argparse.Namespace) -> int:
    from .grading.workflow import set_due_date

    course = Course(args.course)
    (topic,) = course.check_topics([args.topic])
    due = set_due_date(course, topic, args.when)
    print(f"{topic} is due {due:%Y-%m-%d %H:%M} UTC")
    return 0


def _extension(args: argparse.Namespace) -> int:
    from .grading.term_tools import grant_extension

    course = Course(args.course)
    (topic,) = course.check_topics([args.topic])
    due, graded = grant_extension(course, args.student, topic, args.hours)
    print(f"{args.student} has until {due:%Y-%m-%d %H:%M} UTC for {topic} ({args.hours:g} h after its due date)")
    if graded:
        print(
            f"Already graded: run `coursekit autograde {topic} --student {args.student}` to recompute a late penalty."
        )
    else:
        print("It is applied when their submission is autograded.")
    return 0


def _fixkey(args: argparse.Namespace) -> int:
    from .grading.autograde import summary_table
    from .grading.keyfix import fix_key

    course = Course(args.course)
    (topic,) = course.check_topics([args.topic])
    done = fix_key(course, topic, args.item)
    print(f"{topic}: {done.item} re-scored with the key {done.new_key!r} (was {done.old_key!r}); hand marks kept.")
    print(summary_table(done.results))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .analysis.classdata import load_class
    from .analysis.gradebook_export import export, outcome_table

    course = Course(args.course)
    data = load_class(course)
    output = Path(args.output or f"grades.{args.format}")
    for path in export(data, output, args.format):
        print(f"written: {path}")
    for row in outcome_table(data).itertuples(index=False):
        share = f"{row.percent:g}%" if row.possible else "n/a"
        print(f"  {row.outcome}: {row.earned:g} of {row.possible:g} points across the class ({share})")
    _print_notes(data)
    return 0


def _print_notes(data: "ClassData") -> None:
    """What was missing or damaged, so the instructor knows what the files cannot show."""
    if data.unreleased:
        print(f"left out, never released: {', '.join(data.unreleased)}")
    if not data.notes.empty:
        print(f"{len(data.notes)} note(s) on missing or damaged data:")
        for row in data.notes.itertuples(index=False):
            print("  " + " / ".join(terminal_safe(x) for x in (row.student, row.note) if x))


def _report(args: argparse.Namespace) -> int:
    from .analysis.classdata import load_class
    from .analysis.report import write_report

    course = Course(args.course)
    data = load_class(course, args.topics or None)
    output = Path(args.output)
    write_report(data, output)
    print(f"written: {output} (open it in a browser; it needs no network)")
    _print_notes(data)
    return 0


def _book(args: argparse.Namespace) -> int:
    from .book.build import build

    course = Course(args.course)
    html = build(course, release_first=not args.skip_release, jobs=args.jobs)
    print(f"Participant release built in {course.release}; book built in {html} (open {html / 'index.html'})")
    return 0


def _settings(args: argparse.Namespace) -> int:
    s = settings()
    print(f"Course settings from {s.source}")
    print(f"  course id: {s.course_id}\n  dates: {s.start} to {s.end}")
    print(f"  cell timeout: {s.cell_timeout} s (the book's notebook execution)")
    for outcome in s.outcomes:
        print(f"  {outcome.id}: {outcome.wording}")
    return 0


def _content(args: argparse.Namespace) -> int:
    """Check every content file of the course (the topics' YAML and the tabletop exercises); 1 if one is bad."""
    from .core.settings import course_root
    from .tabletop.model import ExerciseError, course_exercises, load
    from .topics.content_check import check_topics

    root = course_root()
    results = check_topics(root)
    for path in course_exercises().values():
        try:
            load(path)
        except ExerciseError as err:
            results.append((path, "\n".join(err.problems)))
        else:
            results.append((path, ""))
    for path, problems in results:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"{'ok ' if not problems else 'BAD'} {shown}")
        for line in problems.splitlines():
            print(f"      {line}")
    bad = sum(1 for _, problems in results if problems)
    print(f"{len(results)} content file(s) checked, {bad} with problems.")
    return 1 if bad else 0


def _mark(args: argparse.Namespace) -> int:
    from .grading.marking_view import write_marking_notebook

    path = write_marking_notebook(Course(Path(args.course)), args.topic, args.item)
    print(f"Marking notebook written: {path}\nOpen it in the instructor's JupyterLab (jupyter lab {path}) and run it.")
    return 0


def _lab(args: argparse.Namespace) -> int:
    """Start JupyterLab as participants see it (``coursekit.participant.lab_config``); never returns."""
    import os

    from .participant.lab_config import local_lab_folder, participant_environment, write_lab_files

    folder = local_lab_folder()
    write_lab_files(folder)
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter) if jupyter.exists() else "jupyter", "lab", *args.lab_args]
    os.execvpe(command[0], command, participant_environment(folder))


def _lab_config(args: argparse.Namespace) -> int:
    from .participant.lab_config import write_lab_files

    write_lab_files(Path(args.folder))
    print(f"Participant JupyterLab configuration written to {args.folder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit", description="Author, release, grade and publish the course.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name not in ("author", "settings", "content", "lab", "lab-config"):
            p.add_argument("--course", default=".", help="the course root, with nbgrader_config.py (default: .)")
        p.set_defaults(func=func)
        return p

    p = command(
        "author",
        "stamp nbgrader metadata on source notebooks, strip their outputs and compile each topic's plan (plans/)",
        _author,
    )
    p.add_argument("paths", nargs="*", help="notebooks (default: every notebook under --source)")
    p.add_argument("--source", default="notebooks", help="source folder (default: notebooks)")
    p.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a notebook needs stamping or its plan is stale"
    )

    p = command("release", "generate participant versions (refusing any that leak a key) and release them", _release)
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="topics to release (default: all)")
    p.add_argument("--no-exchange", action="store_true", help="only build release/, do not publish to the exchange")

    p = command("collect", "collect the latest submissions of a topic from the exchange", _collect)
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument(
        "--accept-after-keys",
        "--accept-after-feedback",
        action="append",
        metavar="ID",
        help="take this participant's submission although it reached the exchange after the topic's keys were "
        "released, or after their own feedback page went out (flagged in the export and report; repeatable)",
    )

    p = command("autograde", "grade submissions from their answers files (no notebook is run)", _autograde)
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="topics to grade (default: all)")
    p.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="topics graded at once, one process each (default: 1; 2 is faster on two cores and "
        "takes about twice the memory)",
    )

    p = command("feedback", "write each participant's feedback page for graded topics and return it", _feedback)
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="topics (default: all)")
    p.add_argument("--keys", action="store_true", help="include correct answers, explanations and model answers")
    p.add_argument(
        "--before-due-date",
        action="store_true",
        help="allow feedback (scores alone, or with --keys) before a topic's due date",
    )

    p = command("mark", "write a notebook that opens the marking view: one written item, answer by answer", _mark)
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("item", nargs="?", metavar="ITEM", help="the written item's id (default: the topic's only one)")

    p = command("roster", "add or update participants from a CSV with id, first_name, last_name, email", _roster)
    p.add_argument("file", metavar="ROSTER.csv")

    p = command("duedate", "set a topic's due date (late submissions are then flagged)", _duedate)
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument(
        "when", metavar="DATE", help="for example '2026-05-20 17:00' (UTC) or '2026-05-20 17:00 Europe/Bucharest'"
    )

    p = command(
        "extension", "give one participant more time on a topic (nbgrader's per-submission extension)", _extension
    )
    p.add_argument("student", metavar="ID")
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("hours", metavar="HOURS", type=float, help="hours after the due date (0 removes the extension)")

    p = command(
        "fixkey",
        "re-score a topic after correcting an item's key in its hidden test (refused if the feedback disagrees)",
        _fixkey,
    )
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("item", metavar="ITEM", help="the graded item's exercise id")

    p = command(
        "export", "write the grades: per participant and item (long), per participant (wide), per outcome", _export
    )
    p.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        default="csv",
        help="csv: three files GRADES.csv, GRADES-wide.csv, GRADES-outcomes.csv; xlsx: one workbook (default: csv)",
    )
    p.add_argument("--output", "-o", help="file to write (default: grades.csv or grades.xlsx)")

    p = command("report", "write the instructor's offline HTML report: items, outcomes, who needs attention", _report)
    p.add_argument("topics", nargs="*", metavar="TOPIC", help="topics to include (default: all)")
    p.add_argument("--output", "-o", default="report.html", help="file to write (default: report.html)")

    command("settings", "check the course settings (course id, dates, timeout, outcomes) and show them", _settings)
    command("content", "check the course's content files (captions, choosers, campaign, tabletop...)", _content)

    p = command("book", "build the participant release, then compile the book from it into _build/html", _book)
    p.add_argument("--skip-release", action="store_true", help="reuse release/ as it is (it must be up to date)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="notebooks executed at once, one kernel each (default: one per CPU)",
    )

    p = command("lab", "start JupyterLab as participants see it: no instructor tools, no news", _lab)
    p.add_argument("lab_args", nargs="*", metavar="ARG", help="passed to `jupyter lab` (a notebook, --port 8890...)")

    p = command(
        "lab-config", "write the participant's JupyterLab configuration into a Jupyter config folder", _lab_config
    )
    p.add_argument("folder", metavar="FOLDER", help="e.g. <environment>/etc/jupyter (Binder's postBuild does this)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from .grading.course import _venv_on_path

    _venv_on_path()  # nbgrader runs its `alembic` helper by name, even when this environment is not activated
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command == "lab":  # JupyterLab's own options (--port, --no-browser...) go to `jupyter lab`
        args.lab_args = [*unknown, *args.lab_args]
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.func(args))
    except (CourseError, SettingsError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
