"""Collect submissions from nbgrader's exchange without trusting anything a participant put there.

nbgrader's own ``collect`` follows symbolic links, stops the whole class at the first error, only warns
about a submission folder owned by someone else, and keeps the ``timestamp.txt`` the participant wrote.
This collector reads the same exchange layout (``<exchange>/<course>/inbound/<student>+<topic>+<time>[+<random>]``)
and, per student, independently of the others:

* takes the latest submission by its time, refusing one dated in the future and one whose folder is owned
  by another local account than the student's (both are reported, neither is taken);
* copies only what the submitting account owns: a file someone else put into (or swapped inside) the
  folder is left out and reported, whatever the folder's mode;
* copies regular files only: symbolic links, pipes, devices and sockets are refused by name and never
  followed; files over nbgrader's size limit are left out and reported;
* writes ``timestamp.txt`` itself, from the submission's time (never later than the exchange saw the
  folder), so a participant cannot backdate a submission;
* leaves the collected folder readable and writable by the instructor only.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatch
from pathlib import Path

from .course import Course, CourseError, valid_student_id

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's own format in timestamp.txt
MAX_FILE_BYTES = 100_000_000  # nbgrader's default max_file_size (100,000 kB)
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of a hub's machines may differ a little


@dataclass
class Collected:
    """What collecting one topic did, student by student."""

    topic: str
    collected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # student -> why the submission was not taken
    notes: list[str] = field(default_factory=list)  # taken, with something left out


def _parse_time(text: str) -> datetime | None:
    from nbgrader.utils import parse_utc

    try:
        parsed = parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _owner_problem(folder: Path, student: str) -> str | None:
    """Why the folder cannot be the student's own, if a local account of that name exists."""
    if sys.platform == "win32":  # pragma: no cover
        return None
    import pwd

    try:
        account = pwd.getpwnam(student)
    except KeyError:
        return None  # no local account of that name (a single-user setup): ownership tells nothing
    owner = folder.lstat().st_uid
    if owner != account.pw_uid:
        try:
            name = pwd.getpwuid(owner).pw_name
        except KeyError:
            name = f"uid {owner}"
        return f"the submission folder belongs to {name}, not to {student}"
    return None


def _account_uid(student: str) -> int | None:
    """The uid of the local account named like the student (None on a single-user setup without one)."""
    if sys.platform == "win32":  # pragma: no cover
        return None
    import pwd

    try:
        return pwd.getpwnam(student).pw_uid
    except KeyError:
        return None


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


def _submissions(inbound: Path, topic: str) -> dict[str, list[tuple[datetime, Path]]]:
    """Every submission folder of ``topic`` in the inbound folder, by student, newest first."""
    found: dict[str, list[tuple[datetime, Path]]] = {}
    marker = f"+{topic}+"
    for entry in inbound.iterdir():
        # names are student+topic+time or student+topic+time+random; student ids may hold '+'
        if marker not in entry.name:
            continue
        student, rest = entry.name.split(marker, 1)
        when = _parse_time(rest.split("+", 1)[0])
        found.setdefault(student, []).append((when or datetime.min.replace(tzinfo=timezone.utc), entry))
    for entries in found.values():
        entries.sort(key=lambda item: item[0], reverse=True)
    return found


def _existing_time(folder: Path) -> datetime | None:
    try:
        return _parse_time((folder / "timestamp.txt").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return None


def collect(course: Course, topic: str, *, now: datetime | None = None) -> Collected:
    """Collect the latest acceptable submission of ``topic`` from every student; never stops the class."""
    inbound = course.exchange / course.course_id / "inbound"
    if not inbound.is_dir():
        raise CourseError(f"There is no inbound folder {inbound}: has {topic} been released to the exchange?")
    now = now or datetime.now(timezone.utc)
    ignore = list(course.config.CourseDirectory.get("ignore", []) or [])
    result = Collected(topic)
    for student, entries in sorted(_submissions(inbound, topic).items()):
        try:
            _collect_one(course, topic, student, entries, now, ignore, result)
        except Exception as err:  # one student's folder must never stop the others
            result.refused[student] = f"it could not be collected ({type(err).__name__}: {err})"
    return result


def _collect_one(
    course: Course,
    topic: str,
    student: str,
    entries: list[tuple[datetime, Path]],
    now: datetime,
    ignore: list[str],
    result: Collected,
) -> None:
    if not valid_student_id(student):
        result.refused[student] = "the student id is not a plain name (letters, digits, '.', '_', '-', '@', '+')"
        return
    reasons: list[str] = []
    for when, folder in entries:
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode):
            reasons.append(f"{folder.name} is not a folder")
            continue
        if when > now + FUTURE_TOLERANCE:
            reasons.append(f"{folder.name} is dated in the future ({when:%Y-%m-%d %H:%M} UTC)")
            continue
        owner = _owner_problem(folder, student)
        if owner:
            reasons.append(f"{folder.name}: {owner}")
            continue
        seen = datetime.fromtimestamp(info.st_ctime, timezone.utc)
        when = min(when, seen) if when.year > 1 else seen  # never later than the exchange saw the folder
        break
    else:
        result.refused[student] = "; ".join(reasons) or "no submission folder"
        return
    dest = course.submitted / student / topic
    previous = _existing_time(dest) if dest.is_dir() else None
    if previous is not None and previous >= when:
        result.unchanged.append(student)
        return
    staging = dest.with_name(f".{topic}.collecting")
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    left_out = _copy_regular_files(folder, staging, ignore, _account_uid(student))
    fd = os.open(staging / "timestamp.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(when.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT))
    if dest.exists():
        shutil.rmtree(dest)
    staging.rename(dest)
    result.collected.append(student)
    if reasons:
        result.notes.append(f"{student}: a newer submission was not taken ({'; '.join(reasons)})")
    if left_out:
        result.notes.append(f"{student}: left out {', '.join(left_out)}")
