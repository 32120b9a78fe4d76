"""Writing a file so that readers see the old version or the new one, never a torn one.

Why one helper: participants' answers files, strategy summaries, instructors' feedback pages, reports, grade
files and source notebooks are files people rely on. A process killed mid-write (a kernel restart, a full
disk, a closed laptop) must not leave half a file. Each writer used to do this its own way, one without
``fsync`` and with a fixed temporary name two writers could share.

The temporary file sits in the same folder (``os.replace`` is atomic only within one file system) and is
named ``.<name>.<random>.tmp``, so a writer that holds a lock can recognise a killed writer's leftovers.

Durable means: the data is flushed to disk before the rename, and the folder is flushed after it, because a
rename lives in the folder's own entry; without that second ``fsync`` a power cut just after a save can bring
back the old file (or none) on some file systems, although the save had returned.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _default_mode() -> int:
    """The permissions a newly created file gets here (0o666 less the process's umask)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:  # not Linux: read the umask by setting it (and at once put it back)
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: Path | str, data: bytes, *, private: bool = False) -> Path:
    """Replace ``path`` with ``data`` atomically and durably; return the path.

    ``private``: readable by the owner only (0o600), e.g. a participant's answers or a grades report;
    otherwise the file gets the permissions of a normally created file, so others can read it where the
    folder is shared (feedback pages, released notebooks). The folder is created if missing.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:
            os.chmod(tmp, _default_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (the rename just made) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows cannot open a folder; its rename is written through by the file system
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: Path | str, text: str, *, private: bool = False) -> Path:
    """:func:`write_bytes` for UTF-8 text, written as given (no newline translation)."""
    return write_bytes(path, text.encode("utf-8"), private=private)


def temporary_files(path: Path | str) -> list[Path]:
    """Leftover temporary files of writes to ``path`` (a killed writer's); only safe to delete under a lock."""
    target = Path(path)
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))
