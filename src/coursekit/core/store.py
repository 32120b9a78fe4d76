"""The answers store: every answer saved the moment it is given, and never lost.

Answers live in one small JSON file beside the notebook, ``coursekit_answers.json``::

    {
      "format": "coursekit-answers",
      "version": 1,
      "order_seed": "9f86d081884c7d659a2feaa0c55ad015",
      "answers": {
        "<exercise id>": {"value": <answer>, "saved_at": "2026-05-18T09:30:00+00:00", "attempts": 2}
      }
    }

``value`` is the answer itself (the option text, the list of items, the number), never a widget index, so
it stays meaningful in whatever order the options are shown. ``order_seed`` (optional; older files lack
it) is the seed of the order in which this participant sees options (:mod:`coursekit.core.order`): their hub
user name, or a random seed where no hub names them, kept here so that the order survives a restart and
travels with the submission to the feedback page. Why a file rather than notebook metadata:
nbgrader re-executes the notebook in a fresh kernel and widget state is gone, but the file travels with
the submission and can be graded outside the participant's kernel.

Guarantees:

* Writes are atomic: a temporary file in the same folder, flushed and fsynced, then ``os.replace``. A
  process killed mid-save leaves either the old file or the new one, never a torn one.
* Writers hold an exclusive lock (``fcntl.flock`` on a lock file beside it) and merge with what is on disk,
  so two exercises, or two kernels on the same folder, never overwrite each other's answers.
* A file that cannot be used (not JSON, not UTF-8, too large, another program's file, wrong types) is
  never overwritten: it is moved aside to ``coursekit_answers.json.unreadable-<time>``, whatever could be
  salvaged is kept, and :attr:`AnswerStore.problem` says in plain words what happened.
* During nbgrader execution (``NBGRADER_EXECUTION`` is set) the store only reads.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import atomic
from .ids import EXERCISE_ID
from .saved_at import now as saved_at_now

try:  # POSIX: JupyterHub, Binder, macOS, Linux
    import fcntl
except ImportError:  # pragma: no cover - Windows: one kernel per folder is then assumed
    fcntl = None  # type: ignore[assignment]

ANSWERS_FILENAME = "coursekit_answers.json"
FORMAT_NAME = "coursekit-answers"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 2_000_000
_PROCESS_LOCK = threading.Lock()
ORDER_SEED = re.compile(r"^(?:[0-9a-f]{32}|user:[^\x00-\x1f\x7f]{1,200})$")


@dataclass(frozen=True)
class SavedAnswer:
    """One exercise's saved answer, when it was last saved (UTC, ISO 8601) and how often."""

    value: Any
    saved_at: str
    attempts: int

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "saved_at": self.saved_at, "attempts": self.attempts}


@dataclass(frozen=True)
class FileReading:
    """What reading an answers file found: the usable answers, and what was wrong, if anything.

    ``complete`` is False when the file as a whole could not be read (cut short, corrupted, not an answers
    file): then an answer missing from ``answers`` may have been given and lost, not simply never given.
    ``damaged`` names the entries whose answer could not be read; ``partial`` holds the readable beginning
    of any damaged entry whose value was text, for whoever marks it by hand.
    """

    answers: dict[str, SavedAnswer]
    problem: str | None = None
    order_seed: str | None = None
    complete: bool = True
    damaged: tuple[str, ...] = ()
    partial: dict[str, str] = field(default_factory=dict)

    def unreadable(self, exercise_ids: Iterable[str]) -> list[str]:
        """Those of ``exercise_ids`` whose saved answer may exist but could not be read from this file."""
        if self.problem is None:
            return []
        if self.complete:
            return [i for i in exercise_ids if i in self.damaged]
        return [i for i in exercise_ids if i not in self.answers]


def _read_regular_file(path: Path, limit: int) -> bytes | str:
    """Up to ``limit + 1`` bytes of ``path`` if it is a regular file; otherwise a sentence saying why not.

    Opened without following a final symlink and without blocking (a FIFO or a device would otherwise hang
    or stream forever), then checked with ``fstat`` on the open descriptor, so what is checked is what is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as err:
        if os.path.islink(path):
            return "it is a symbolic link, not a file"
        return f"it could not be opened ({err.strerror or err})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file (a folder, pipe or device)"
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as err:
        return f"it could not be read ({err.strerror or err})"
    finally:
        os.close(fd)


def read_answers_file(path: Path) -> FileReading:
    """Read and check an answers file without ever raising, hanging or writing.

    Total on purpose: any byte sequence, any kind of file (a symlink, a FIFO, a device, a folder) gives
    answers or a ``problem`` sentence. A missing file is simply empty. Entries that are individually sound
    are still returned, so that a single bad entry does not cost the others.
    """
    try:
        raw = _read_regular_file(Path(path), MAX_FILE_BYTES)
    except FileNotFoundError:
        return FileReading({})
    if isinstance(raw, str):
        return FileReading({}, raw)
    if len(raw) > MAX_FILE_BYTES:
        return FileReading({}, f"it is larger than {MAX_FILE_BYTES // 1_000_000} MB, far more than answers take")
    if not raw.strip():
        return FileReading({}, "it is empty", complete=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        # what comes before the first bad byte is still text: read it as a file cut short there
        return _recovered(raw[: err.start].decode("utf-8"), f"it is not UTF-8 text (byte {err.start})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return _recovered(text, f"it is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})")
    except RecursionError:
        return FileReading({}, "it is nested far deeper than any answer", complete=False)
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        return _recovered(text, f"it holds a value that cannot be read ({str(err)[:80]})")
    return _checked(data)


def _checked(data: Any, problem: str | None = None, damaged: tuple[str, ...] = (), partial: dict | None = None):
    """A parsed answers file (or what was recovered of one) checked entry by entry.

    ``problem`` set means the file could not be read whole: the reading is then marked incomplete and the
    problem says how many answers were recovered.
    """
    whole = problem is None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        return FileReading(
            {}, problem or "it was not written by coursekit (its 'format' is not 'coursekit-answers')", complete=False
        )
    if data.get("version") != FORMAT_VERSION:
        return FileReading(
            {},
            problem or f"it has format version {data.get('version')!r}; this coursekit reads version {FORMAT_VERSION}",
            complete=False,
        )
    entries = data.get("answers", {} if not whole else None)
    if not isinstance(entries, dict):
        return FileReading({}, "its 'answers' is not a mapping of exercise ids to answers", complete=False)
    answers: dict[str, SavedAnswer] = {}
    bad: list[str] = []
    for key, entry in entries.items():
        parsed = _parse_entry(key, entry)
        if parsed is None:
            bad.append(str(key)[:40])
        else:
            answers[key] = parsed
    if bad:
        listed = f"{len(bad)} saved answer(s) are damaged ({', '.join(map(repr, bad[:5]))})"
        problem = f"{problem}; {listed}" if problem else listed
    if not whole:
        problem = f"{problem}; {len(answers)} answer(s) could still be read and were recovered"
    seed = data.get("order_seed")
    return FileReading(
        answers,
        problem,
        seed if isinstance(seed, str) and ORDER_SEED.match(seed) else None,
        complete=whole,
        damaged=tuple(dict.fromkeys([*damaged, *bad])),
        partial=partial or {},
    )


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")
_NEXT_ENTRY = re.compile(r'\}\s*,\s*(?=")')  # the end of one answer entry and the start of the next key
_TEXT_VALUE = re.compile(r'\{\s*"value"\s*:\s*"')


def _recovered(text: str, problem: str) -> FileReading:
    """Every entry of a damaged answers file that can still be read, and what could not.

    The file is read member by member up to the damage; inside ``answers``, entry by entry, and after a
    damaged entry reading resumes at the next entry that parses, so a corrupted byte in the middle costs
    one answer, a file cut short only the answers after the cut. The entry where reading failed is named in
    ``damaged``, with the readable beginning of its text (a written answer cut short) in ``partial``.
    """
    top: dict[str, Any] = {}
    damaged: list[str] = []
    partial: dict[str, str] = {}
    pos = _SPACE.match(text).end()
    if not text.startswith("{", pos):
        return FileReading({}, problem, complete=False)
    pos += 1
    while True:
        key, pos = _member_key(text, pos)
        if key is None:
            break
        if key == "answers":
            top["answers"] = _recovered_answers(text, pos, damaged, partial)
            break  # the writer puts answers last; anything after it is not ours to guess
        try:
            top[key], pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        pos = _SPACE.match(text, pos).end()
        if not text.startswith(",", pos):
            break
        pos += 1
    return _checked(top, problem, tuple(damaged), partial)


def _member_key(text: str, pos: int) -> tuple[str | None, int]:
    """The key of the object member at ``pos`` and where its value starts, or None at the end or damage."""
    pos = _SPACE.match(text, pos).end()
    if not text.startswith('"', pos):
        return None, pos
    try:
        key, pos = _DECODER.raw_decode(text, pos)
    except ValueError:
        return None, pos
    pos = _SPACE.match(text, pos).end()
    if not isinstance(key, str) or not text.startswith(":", pos):
        return None, pos
    return key, _SPACE.match(text, pos + 1).end()


def _recovered_answers(text: str, pos: int, damaged: list[str], partial: dict[str, str]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    tries = [0]
    if not text.startswith("{", pos):
        return entries
    pos += 1
    while pos < len(text):
        key, pos = _member_key(text, pos)
        if key is None:
            break
        try:
            entries[key], pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            damaged.append(key[:40])
            beginning = _text_beginning(text, pos)
            if beginning and EXERCISE_ID.match(key):
                partial[key] = beginning
            pos = _next_entry(text, pos, tries)
            if pos < 0:
                break
            continue
        pos = _SPACE.match(text, pos).end()
        if not text.startswith(",", pos):
            break
        pos += 1
    return entries


MAX_RESYNC_TRIES = 100  # places tried, in all, to resume after damage: bounds the work on a hostile file


def _next_entry(text: str, pos: int, tries: list[int]) -> int:
    """Where the next whole answer entry after ``pos`` starts (a key whose value is an object that parses), or -1.

    ``tries`` counts the places tried across the file; past :data:`MAX_RESYNC_TRIES` reading stops there, so
    a file made of nothing but damage costs at most that many parses.
    """
    for candidate in _NEXT_ENTRY.finditer(text, pos):
        tries[0] += 1
        if tries[0] > MAX_RESYNC_TRIES:
            return -1
        key, start = _member_key(text, candidate.end())
        if key is None or not text.startswith("{", start):
            continue
        try:
            _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            continue
        return candidate.end()
    return -1


def _text_beginning(text: str, pos: int, limit: int = 20_000) -> str:
    """The readable beginning of a damaged entry whose value is text (a written answer cut short), or ""."""
    match = _TEXT_VALUE.match(text, pos)
    if match is None:
        return ""
    chunk = text[match.end() : match.end() + limit]
    end = re.search(r'(?<!\\)(?:\\\\)*"', chunk)  # the first unescaped quote, if the text did end
    chunk = chunk[: end.end() - 1] if end else chunk
    for cut in range(0, 7):  # drop an escape sequence cut in half at the end
        try:
            return json.loads(f'"{chunk[: len(chunk) - cut]}"').strip()
        except ValueError:
            continue
    return ""


def _parse_entry(key: Any, entry: Any) -> SavedAnswer | None:
    if not isinstance(key, str) or not EXERCISE_ID.match(key) or not isinstance(entry, dict) or "value" not in entry:
        return None
    saved_at, attempts = entry.get("saved_at"), entry.get("attempts")
    if not isinstance(saved_at, str) or isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        return None
    return SavedAnswer(entry["value"], saved_at, attempts)


def _serialise(answers: dict[str, SavedAnswer], order_seed: str | None) -> bytes:
    payload: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if order_seed:
        payload["order_seed"] = order_seed
    payload["answers"] = {k: v.to_json() for k, v in sorted(answers.items())}
    # No indent: the C encoder is used, which keeps a save well under a millisecond of CPU.
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Inode, size and modification time: changes whenever any writer replaces the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def default_answers_path() -> Path:
    """The answers file for the current kernel: beside the notebook, which is the kernel's folder.

    ``COURSEKIT_ANSWERS_FILE`` overrides it (used by tests and by graders that score a copied file).
    """
    override = os.environ.get("COURSEKIT_ANSWERS_FILE")
    return Path(override) if override else Path.cwd() / ANSWERS_FILENAME


class AnswerStore:
    """Read and save the answers of one folder.

    Create one per kernel (see :func:`get_store`). ``problem`` is a sentence for participants if the file
    found on disk could not be used, or ``None``.
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_answers_path()
        self.read_only = bool(os.environ.get("NBGRADER_EXECUTION")) if read_only is None else read_only
        self.problem: str | None = None
        self._answers: dict[str, SavedAnswer] = {}
        self._seed: str | None = None
        self._written: tuple[int, int, int] | None = None  # identity of the file as this store last wrote it
        self._load()

    # -- reading ---------------------------------------------------------------------------------------
    def _load(self) -> None:
        reading = read_answers_file(self.path)
        if reading.problem and not self.read_only:
            try:
                with self._locked():  # re-read under the lock: another kernel may have just fixed or replaced it
                    reading = read_answers_file(self.path)
                    if reading.problem:
                        self._set_aside(reading)
                        if reading.answers or reading.order_seed:
                            self._write(dict(reading.answers), reading.order_seed)
            except OSError as err:  # the folder itself is unusable: say so, and let the notebook still open
                self.problem = cannot_save_message(err)
        elif reading.problem:
            self.problem = f"The answers file {self.path.name} could not be fully read: {reading.problem}."
        self._answers = dict(reading.answers)
        self._seed = reading.order_seed

    @property
    def order_seed(self) -> str | None:
        """The seed of this participant's option order: the one in use in this kernel, else the file's, if any."""
        return self._seed

    def use_order_seed(self, seed: str) -> None:
        """Record the seed the options are shown with; it is written with the next saved answer.

        Why not at once: the notebook's own folder is also the instructor's source folder, and a file written
        there merely by opening a notebook would be released to every participant. A participant who has
        saved an answer keeps their order from then on; on the hub the order follows their user name anyway.
        """
        if not ORDER_SEED.match(seed):
            raise ValueError(f"{seed[:40]!r} is not an order seed")
        self._seed = seed

    def get(self, exercise_id: str) -> SavedAnswer | None:
        """The saved answer for ``exercise_id``, or None."""
        return self._answers.get(exercise_id)

    def answers(self) -> dict[str, SavedAnswer]:
        """A copy of every answer known to this store."""
        return dict(self._answers)

    # -- writing ---------------------------------------------------------------------------------------
    def save(self, exercise_id: str, value: Any) -> SavedAnswer:
        """Save ``value`` for ``exercise_id`` now, atomically, and return what was saved.

        ``value`` must be JSON-serialisable. Answers saved by other kernels in the meantime are kept.
        In read-only mode (nbgrader execution) nothing is written.
        """
        if not EXERCISE_ID.match(exercise_id):
            raise ValueError(f"{exercise_id!r} is not a valid exercise id")
        json.dumps(value)  # fail before touching the file if the value cannot be stored
        stamp = saved_at_now()
        if self.read_only:
            previous = self._answers.get(exercise_id)
            return SavedAnswer(value, stamp, (previous.attempts if previous else 0) + 1)
        with self._locked():
            if self._written is not None and self._written == _identity(self.path):
                on_disk = FileReading(self._answers)  # nobody else wrote since our last save
            else:
                on_disk = read_answers_file(self.path)
            if on_disk.problem:
                self._set_aside(on_disk)  # someone replaced the file under us: keep it, never overwrite it
            merged = {**on_disk.answers}
            for key, entry in self._answers.items():
                merged.setdefault(key, entry)
            previous = merged.get(exercise_id)
            saved = SavedAnswer(value, stamp, (previous.attempts if previous else 0) + 1)
            merged[exercise_id] = saved
            self._seed = self._seed or on_disk.order_seed
            self._write(merged, self._seed)
            self._answers = merged
        return saved

    def _write(self, answers: dict[str, SavedAnswer], order_seed: str | None) -> None:
        atomic.write_bytes(self.path, _serialise(answers, order_seed), private=True)
        self._written = _identity(self.path)

    def _set_aside(self, reading: FileReading) -> None:
        """Move the unusable file to a backup beside it and explain, in :attr:`problem`, what happened."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        n = 1
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp}-{n}")
        os.replace(self.path, backup)
        self.problem = damaged_file_message(self.path.name, backup.name, len(reading.answers), reading.problem)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the in-process lock and, where the OS has it, an exclusive lock shared with other kernels.

        While the lock is held no other writer can be mid-save, so leftover temporary files are from a
        killed writer and are removed.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _PROCESS_LOCK:
            if fcntl is None:
                yield
                return
            lock_path = self.path.with_name(f".{self.path.name}.lock")
            with open(lock_path, "a+b") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
                try:
                    for stale in atomic.temporary_files(self.path):
                        stale.unlink(missing_ok=True)
                    yield
                finally:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def damaged_file_message(name: str, backup: str, salvaged: int, reason: str | None) -> str:
    """What a participant is told when their answers file could not be read: what happened to their answers,
    what to do, in plain words; the technical reason comes last, for the instructor.

    Why so long: this notice stays on every exercise of the notebook until the kernel restarts, and the
    participant must be able to act on it alone (answer again, send the kept file).
    """
    kept = (
        f"The {salvaged} answer{'s' if salvaged != 1 else ''} that could still be read are shown and kept."
        if salvaged
        else "None of its answers could be read."
    )
    return (
        f"Your saved answers could not all be read: the answers file ({name}) was damaged. {kept} Nothing was "
        f"deleted: the damaged file is kept, unchanged, as {backup} in this folder, and new answers are saved "
        f"in a new file. What to do: answer again any exercise that now looks empty, and send {backup} to "
        f"your instructor, who can recover the rest. (For your instructor: {reason}.)"
    )


def cannot_save_message(err: OSError) -> str:
    """What a participant is told when this folder cannot hold their answers: nothing is kept, and how to fix it."""
    return (
        "Your answers are not being saved: this notebook's folder cannot be written to. What you answer here "
        "is lost when you close the notebook. What to do: save a copy of the notebook in a folder of your own "
        "(File \u25b8 Save Notebook As\u2026, for example in your home folder), open that copy and answer "
        f"there; or ask your instructor. (For your instructor: {err.strerror or err}.)"
    )


_STORES: dict[Path, AnswerStore] = {}


def get_store(path: Path | str | None = None) -> AnswerStore:
    """The kernel's store for ``path`` (default: the answers file beside the notebook), created once."""
    resolved = (Path(path) if path is not None else default_answers_path()).resolve()
    store = _STORES.get(resolved)
    if store is None:
        store = _STORES[resolved] = AnswerStore(resolved)
    return store
