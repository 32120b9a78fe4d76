"""One helper writes the files people rely on atomically; one helper writes and shows "saved at" times."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

from coursekit.core import atomic, store
from coursekit.core.saved_at import format_saved_at, now, parse_saved_at, show_saved_at
from coursekit.topics.strategy_builder import StrategyDraft, export_markdown


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    atomic.write_text(target, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic.write_text(target, "new")
    assert target.read_text() == "old"
    assert atomic.temporary_files(target) == []


def test_private_files_are_owner_only_and_others_follow_the_umask(tmp_path):
    private = atomic.write_bytes(tmp_path / "grades.csv", b"x", private=True)
    shared = atomic.write_text(tmp_path / "sub" / "feedback.html", "x")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o666 & ~mask


def test_store_and_strategy_export_use_the_helper(tmp_path, monkeypatch):
    written = []
    real = atomic.write_bytes

    def recording(path, data, **kw):
        written.append(path.name)
        return real(path, data, **kw)

    monkeypatch.setattr(atomic, "write_bytes", recording)
    store.AnswerStore(tmp_path / store.ANSWERS_FILENAME).save("e1", "a")
    export_markdown(StrategyDraft(), tmp_path)
    assert written == [store.ANSWERS_FILENAME, "strategy_summary.md"]


def test_saved_at_is_utc_to_the_second_and_shown_in_utc():
    moment = datetime(2026, 5, 18, 11, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert format_saved_at(moment) == "2026-05-18T09:30:05+00:00"
    assert parse_saved_at("2026-05-18T09:30:05+00:00") == moment.replace(microsecond=0)
    assert show_saved_at("2026-05-18T11:30:05+02:00") == "2026-05-18 09:30:05 UTC"
    assert show_saved_at("yesterday") == "yesterday"
    with pytest.raises(ValueError):
        format_saved_at(datetime(2026, 5, 18))
    with pytest.raises(ValueError):
        parse_saved_at("2026-05-18 09:30")
    stamp = parse_saved_at(now())
    assert abs((datetime.now(timezone.utc) - stamp).total_seconds()) < 5


def test_the_store_writes_saved_at_in_that_form(tmp_path):
    saved = store.AnswerStore(tmp_path / store.ANSWERS_FILENAME).save("e1", "a")
    assert format_saved_at(parse_saved_at(saved.saved_at)) == saved.saved_at


def test_the_folder_is_flushed_after_the_rename(tmp_path, monkeypatch):
    """The recorded order of the real calls: data fsync, rename, then an fsync of the folder itself."""
    calls: list[tuple[str, str]] = []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src, dst):
        calls.append(("replace", os.fspath(dst)))
        return real_replace(src, dst)

    def fsync(fd):
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        calls.append(("fsync", kind))
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic.os, "fsync", fsync)
    target = tmp_path / store.ANSWERS_FILENAME
    store.AnswerStore(target).save("e1", "a")  # the answers store goes through the one helper
    assert calls == [("fsync", "file"), ("replace", str(target)), ("fsync", "folder")]
    assert target.is_file()
