"""Collect submissions from nbgrader's exchange without trusting anything a participant put there.

nbgrader's own ``collect`` follows symbolic links, stops the whole class at the first error, only warns
about a submission folder owned by someone else, and believes the time in the folder's name and the
``timestamp.txt`` the participant wrote. This collector reads the same exchange layout
(``<exchange>/<course>/inbound/<student>+<topic>+<time>[+<random>]``) and, per student, independently of
the others:

* **the time is the exchange's**: when the exchange last received anything of the submission, i.e. the
  latest change time (``ctime``, which no owner can set back) of the folder and everything in it, as the
  collecting account sees it. The time in the folder's name is the participant's choice: it decides
  nothing, and a name that disagrees with the exchange by more than a minute is reported. Lateness, which
  submission is the latest, and the order of resubmissions all follow the exchange's time;
* **after keys, nothing silently**: once ``coursekit feedback --keys`` has released a topic's keys, a
  submission the exchange received later is refused with a note, unless the instructor names the
  participant (``--accept-after-keys ID``); then it is taken and flagged (see :func:`accepted_after_keys`).
  Likewise after a participant's own feedback page went out (scores are keys for single-choice items):
  their later submission of that topic is refused unless named (``--accept-after-feedback ID``), then flagged;
* **no submission under another's id**: where the student id is a local account, the folder must belong
  to it; where it is not, the folder must belong to the collecting account itself (a single-user exchange:
  only the instructor's account made it), otherwise it is refused, saying what to configure;
* copies only what the submitting account owns, regular files only (links, pipes, devices and sockets are
  refused by name and never followed), nothing over nbgrader's size limit, at most :data:`MAX_ENTRIES`
  entries; each thing left out is reported;
* writes ``timestamp.txt`` itself, from the exchange's time, and leaves the collected folder readable and
  writable by the instructor only.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatch
from pathlib import Path

from ..core import atomic
from .course import Course, CourseError, valid_student_id

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's own format in timestamp.txt
MAX_FILE_BYTES = 100_000_000  # nbgrader's default max_file_size (100,000 kB)
MAX_ENTRIES = 10_000  # files and folders in one submission: a topic folder holds a handful
NAME_TOLERANCE = timedelta(minutes=1)  # a folder's name may lag the exchange by the copy's duration
KEYS_RECORD = Path("feedback") / ".keys-released.json"  # topic -> when its keys were first released
AFTER_KEYS_RECORD = Path("submitted") / ".accepted-after-keys.json"  # topic -> {student: exchange time}
FEEDBACK_RECORD = Path("feedback") / ".feedback-returned.json"  # topic -> {student: when their page first went out}
AFTER_FEEDBACK_RECORD = Path("submitted") / ".accepted-after-feedback.json"  # topic -> {student: exchange time}


@dataclass
class Collected:
    """What collecting one topic did, student by student."""

    topic: str
    collected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # student -> why the submission was not taken
    notes: list[str] = field(default_factory=list)  # taken, with something left out or worth knowing
    after_keys: list[str] = field(default_factory=list)  # taken after the keys, because the instructor said so
    after_feedback: list[str] = field(default_factory=list)  # taken after their feedback page, likewise


def _parse_time(text: str) -> datetime | None:
    from nbgrader.utils import parse_utc

    try:
        parsed = parse_utc(text[:64])
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _read_record(course: Course, record: Path) -> dict:
    try:
        data = json.loads((course.root / record).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def keys_released(course: Course, topic: str) -> datetime | None:
    """When ``coursekit feedback --keys`` first released ``topic``'s keys (None: not yet)."""
    value = _read_record(course, KEYS_RECORD).get(topic)
    return _parse_time(value) if isinstance(value, str) else None


def record_keys_released(course: Course, topic: str, when: datetime) -> None:
    """Remember the first release of ``topic``'s keys; a later release keeps the first time."""
    record = _read_record(course, KEYS_RECORD)
    if topic not in record:
        record[topic] = when.astimezone(timezone.utc).isoformat()
        atomic.write_text(course.root / KEYS_RECORD, json.dumps(record, indent=1, sort_keys=True), private=True)


def accepted_after_keys(course: Course) -> dict[str, dict[str, str]]:
    """Submissions taken after their topic's keys were released, by topic and student (with the exchange's time)."""
    record = _read_record(course, AFTER_KEYS_RECORD)
    return {t: {s: str(w) for s, w in v.items()} for t, v in record.items() if isinstance(v, dict)}


def accepted_after_feedback(course: Course) -> dict[str, dict[str, str]]:
    """Submissions taken after the participant's feedback page for the topic had gone out (keys or not)."""
    record = _read_record(course, AFTER_FEEDBACK_RECORD)
    return {t: {s: str(w) for s, w in v.items()} for t, v in record.items() if isinstance(v, dict)}


def feedback_returned(course: Course, topic: str, student: str) -> datetime | None:
    """When ``student`` was first sent a feedback page for ``topic`` by ``coursekit feedback`` (None: never)."""
    mine = _read_record(course, FEEDBACK_RECORD).get(topic)
    value = mine.get(student) if isinstance(mine, dict) else None
    return _parse_time(value) if isinstance(value, str) else None


def record_feedback_returned(course: Course, topic: str, students: list[str], when: datetime) -> None:
    """Remember when each student's page for ``topic`` first went out; a later page keeps the first time.

    Why: a page shows scores, and the score of a single-choice item is its key. A participant who has seen
    it and submits again must not be regraded unnoticed (see :func:`collect`).
    """
    record = _read_record(course, FEEDBACK_RECORD)
    mine = record.get(topic) if isinstance(record.get(topic), dict) else {}
    stamp = when.astimezone(timezone.utc).isoformat()
    new = {s: stamp for s in students if s not in mine}
    if new:
        record[topic] = {**mine, **new}
        atomic.write_text(course.root / FEEDBACK_RECORD, json.dumps(record, indent=1, sort_keys=True), private=True)


def _account_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _account_uid(student: str) -> int | None:
    """The uid of the local account named like the student (None where there is none)."""
    import pwd

    try:
        return pwd.getpwnam(student).pw_uid
    except KeyError:
        return None


def _submitter(folder: Path, student: str) -> tuple[int | None, str | None]:
    """The account whose files make up the submission, or why the folder cannot be the student's own.

    With a local account named like the student, the folder must belong to it. Without one, only a folder
    the collecting account made itself is trusted (a single-user exchange, where nobody else can write):
    on an exchange shared by several accounts, nothing else shows who made it.
    """
    if sys.platform == "win32":  # pragma: no cover - no owners to compare
        return None, None
    owner = folder.lstat().st_uid
    uid = _account_uid(student)
    if uid is not None:
        if owner != uid:
            return None, f"the submission folder belongs to {_account_name(owner)}, not to {student}"
        return uid, None
    if owner == os.geteuid():
        return owner, None
    return None, (
        f"{student} has no local account and the folder belongs to {_account_name(owner)}, so nothing shows that "
        f"{student} made it: on an exchange shared by several accounts each participant's roster id must be "
        "their login name (the hub's set-up, python -m coursekit.hub.setup, creates the accounts from the roster)"
    )


def exchange_time(folder: Path) -> datetime:
    """When the exchange last received anything of ``folder``: the latest change time of it and its contents.

    A change time is set by the system whenever an entry is created, written, renamed or has its mode
    changed, and no owner can set it back: a participant can make a submission later, never earlier.
    """
    latest, count = folder.lstat().st_ctime, 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in (*dirnames, *filenames):
            count += 1
            if count > MAX_ENTRIES:
                raise CourseError(f"it holds more than {MAX_ENTRIES} files and folders")
            latest = max(latest, os.lstat(os.path.join(dirpath, name)).st_ctime)
    return datetime.fromtimestamp(latest, timezone.utc)


def _copy_regular_files(src: Path, dest: Path, ignore: list[str], owner: int | None = None) -> list[str]:
    """Copy the regular files under ``src`` into ``dest``; return what was left out and why.

    With ``owner`` (a uid), files and folders belonging to any other account are left out too.
    """
    left_out: list[str] = []
    dest.mkdir(mode=0o700, parents=True)
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        here = Path(dirpath)
        target = dest / here.relative_to(src)
        for name in list(dirnames):
            path = here / name
            if any(fnmatch(name, pattern) for pattern in ignore):
                dirnames.remove(name)
            elif owner is not None and path.lstat().st_uid != owner:
                dirnames.remove(name)
                left_out.append(f"{path.relative_to(src)} (belongs to another account)")
            elif path.is_symlink():
                dirnames.remove(name)
                left_out.append(f"{path.relative_to(src)} (a symbolic link)")
            else:
                (target / name).mkdir(mode=0o700)
        for name in filenames:
            path = here / name
            if any(fnmatch(name, pattern) for pattern in ignore) or (here == src and name == "timestamp.txt"):
                continue
            info = path.lstat()
            if owner is not None and info.st_uid != owner:
                left_out.append(f"{path.relative_to(src)} (belongs to another account)")
            elif stat.S_ISLNK(info.st_mode):
                left_out.append(f"{path.relative_to(src)} (a symbolic link)")
            elif not stat.S_ISREG(info.st_mode):
                left_out.append(f"{path.relative_to(src)} (not a regular file)")
            elif info.st_size > MAX_FILE_BYTES:
                left_out.append(f"{path.relative_to(src)} (over {MAX_FILE_BYTES // 1_000_000} MB)")
            else:
                _copy_file(path, target / name, owner)
    return left_out


def _copy_file(src: Path, dest: Path, owner: int | None = None) -> None:
    """Copy one regular file without following a link, or taking a file, that replaced it since it was checked."""
    fd = os.open(src, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as reader:
        info = os.fstat(reader.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{src.name} changed into something other than a file")
        if owner is not None and info.st_uid != owner:
            raise OSError(f"{src.name} was replaced by another account's file")
        with open(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as writer:
            shutil.copyfileobj(reader, writer, length=1 << 20)


def _submissions(inbound: Path, topic: str) -> dict[str, list[tuple[datetime | None, Path]]]:
    """Every submission folder of ``topic`` in the inbound folder, by student, with the time its name claims."""
    found: dict[str, list[tuple[datetime | None, Path]]] = {}
    marker = f"+{topic}+"
    for entry in inbound.iterdir():
        # names are student+topic+time or student+topic+time+random; student ids may hold '+'
        if marker not in entry.name:
            continue
        student, rest = entry.name.split(marker, 1)
        found.setdefault(student, []).append((_parse_time(rest.split("+", 1)[0]), entry))
    return found


def _existing_time(folder: Path) -> datetime | None:
    try:
        return _parse_time((folder / "timestamp.txt").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return None


def collect(
    course: Course,
    topic: str,
    *,
    accept_after_keys: tuple[str, ...] | list[str] = (),
    inbound: Path | None = None,
    students: list[str] | None = None,
) -> Collected:
    """Collect the latest acceptable submission of ``topic`` from every student; never stops the class.

    ``accept_after_keys``: students whose submission after the topic's keys were released, or after their own
    feedback page went out, is taken (and flagged). ``inbound``: the exchange's inbound folder of the course
    (default: from the course's configuration). ``students``: only these (default: everyone who submitted).
    """
    inbound = inbound or course.exchange / course.course_id / "inbound"
    if not inbound.is_dir():
        raise CourseError(f"There is no inbound folder {inbound}: has {topic} been released to the exchange?")
    ignore = list(course.config.CourseDirectory.get("ignore", []) or [])
    keys = keys_released(course, topic)
    result = Collected(topic)
    found = _submissions(inbound, topic)
    for student, entries in sorted(found.items()):
        if students is not None and student not in students:
            continue
        try:
            _collect_one(course, topic, student, entries, ignore, keys, student in accept_after_keys, result)
        except Exception as err:  # one student's folder must never stop the others
            result.refused[student] = f"it could not be collected ({type(err).__name__}: {err})"
    for student in accept_after_keys:
        if student not in result.after_keys and student not in result.after_feedback:
            result.notes.append(
                f"{student}: --accept-after-keys named them, but they have no submission after the keys or their feedback"
            )
    return result


def _collect_one(
    course: Course,
    topic: str,
    student: str,
    entries: list[tuple[datetime | None, Path]],
    ignore: list[str],
    keys: datetime | None,
    accept_after_keys: bool,
    result: Collected,
) -> None:
    if not valid_student_id(student):
        result.refused[student] = "the student id is not a plain name (letters, digits, '.', '_', '-', '@', '+')"
        return
    reasons: list[str] = []
    seen = feedback_returned(course, topic, student)
    candidates: list[tuple[datetime, datetime | None, Path]] = []
    for claimed, folder in entries:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            reasons.append(f"{folder.name} is not a folder")
            continue
        try:
            candidates.append((exchange_time(folder), claimed, folder))
        except (CourseError, OSError, RecursionError) as err:
            reasons.append(f"{folder.name}: {err}")
    candidates.sort(key=lambda item: item[0], reverse=True)  # the exchange's order, never the names'
    for when, claimed, folder in candidates:
        uid, problem = _submitter(folder, student)
        if problem:
            reasons.append(f"{folder.name}: {problem}")
            continue
        # answers filed after the participant could see keys or scores: refused unless the instructor names them
        late = [
            f"{folder.name} reached the exchange at {when:%Y-%m-%d %H:%M:%S} UTC, after {event} "
            f"({limit:%Y-%m-%d %H:%M:%S} UTC){why}; to take it anyway: coursekit collect {topic} {flag} {student}"
            for limit, event, why, flag in (
                (keys, f"the keys of {topic} were released", "", "--accept-after-keys"),
                (
                    seen,
                    f"{student}'s feedback page for {topic} went out",
                    ", which shows their scores",
                    "--accept-after-feedback",
                ),
            )
            if limit is not None and when > limit and not accept_after_keys
        ]
        if late:
            reasons.append(late[0])
            continue
        break
    else:
        result.refused[student] = "; ".join(reasons) or "no submission folder"
        return
    if claimed is None or abs(claimed - when) > NAME_TOLERANCE:
        said = f"says {claimed:%Y-%m-%d %H:%M:%S} UTC" if claimed else "holds no readable time"
        result.notes.append(
            f"{student} ({topic}): the submission folder's name {said}, but the exchange received it at "
            f"{when:%Y-%m-%d %H:%M:%S} UTC; the exchange's time is used"
        )
    after_keys = keys is not None and when > keys
    dest = course.submitted / student / topic
    previous = _existing_time(dest) if dest.is_dir() else None
    if reasons:  # said whether or not the folder taken is new: a refused newer one is never silent
        result.notes.append(f"{student}: a newer submission was not taken ({'; '.join(reasons)})")
    if previous is not None and previous >= when:
        result.unchanged.append(student)
        return
    staging = dest.with_name(f".{topic}.collecting")
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    left_out = _copy_regular_files(folder, staging, ignore, uid)
    fd = os.open(staging / "timestamp.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(when.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT))
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)
    result.collected.append(student)
    if after_keys:
        result.after_keys.append(student)
        _record_after(course, AFTER_KEYS_RECORD, topic, student, when)
    elif seen is not None and when > seen:
        result.after_feedback.append(student)
        _record_after(course, AFTER_FEEDBACK_RECORD, topic, student, when)
    if left_out:
        result.notes.append(f"{student}: left out {', '.join(left_out)}")


def _record_after(course: Course, where: Path, topic: str, student: str, when: datetime) -> None:
    record = _read_record(course, where)
    mine = record.get(topic) if isinstance(record.get(topic), dict) else {}
    mine[student] = when.astimezone(timezone.utc).isoformat()
    record[topic] = mine
    atomic.write_text(course.root / where, json.dumps(record, indent=1, sort_keys=True), private=True)
