"""The service's state: sessions, who plays which role, released injects, decisions, and the facilitator's log.

Why a database and not memory: a decision the service has acknowledged must survive the process being killed
(SIGKILL, a crash, a hub restart). Every change is one transaction committed before the service answers; SQLite
runs in WAL mode with ``synchronous=FULL``, so a commit has reached the disk when it returns. SQLite is the
default (one file beside the hub); any SQLAlchemy URL works, PostgreSQL (``postgresql://``, psycopg 3) for a
Kubernetes hub.

Decisions are only ever added, never updated: a team's decision on an inject is its latest row, and the export
holds every one. Each change bumps the session's ``version``, which the pages poll to learn cheaply that
something changed.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

sessions = sa.Table(
    "tabletop_sessions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("exercise", sa.Text, nullable=False),  # the checked exercise, frozen at creation (JSON)
    sa.Column("status", sa.String(16), nullable=False),  # running | paused | debrief
    sa.Column("created_by", sa.String(255), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
members = sa.Table(
    "tabletop_members",
    metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("tabletop_sessions.id"), primary_key=True),
    sa.Column("user", sa.String(255), primary_key=True),
    sa.Column("role", sa.String(40), nullable=False),
)
releases = sa.Table(
    "tabletop_releases",
    metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("tabletop_sessions.id"), primary_key=True),
    sa.Column("inject", sa.String(40), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("released_at", sa.Float, nullable=False),
    sa.Column("deadline", sa.Float),
)
decisions = sa.Table(
    "tabletop_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("tabletop_sessions.id"), nullable=False, index=True),
    sa.Column("inject", sa.String(40), nullable=False),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("user", sa.String(255), nullable=False),
    sa.Column("option", sa.String(40), nullable=False),
    sa.Column("rationale", sa.Text, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)
log = sa.Table(
    "tabletop_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(32), nullable=True, index=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("user", sa.String(255), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

polls = sa.Table(
    "tabletop_polls",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("tabletop_sessions.id"), nullable=False, index=True),
    sa.Column("poll", sa.String(40), nullable=False),
    sa.Column("opened_at", sa.Float, nullable=False),
    sa.Column("closed_at", sa.Float),
)
# Anonymous: a vote carries no user name and no time, only a keyed hash that lets the same person change
# their answer within one poll and cannot be linked to them or across polls without the service's secret.
votes = sa.Table(
    "tabletop_votes",
    metadata,
    sa.Column("poll_id", sa.Integer, sa.ForeignKey("tabletop_polls.id"), primary_key=True),
    sa.Column("voter", sa.String(64), primary_key=True),
    sa.Column("option", sa.String(40), nullable=False),
)


def engine_for(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets WAL and full fsync on every commit (see the module docstring)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _durable(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    metadata.create_all(engine)
    return engine


class Store:
    """All reads and writes of the service; each write method is one committed transaction."""

    def __init__(self, url: str):
        self.engine = engine_for(url)

    def _bump(self, conn: sa.Connection, session_id: str) -> None:
        conn.execute(sessions.update().where(sessions.c.id == session_id).values(version=sessions.c.version + 1))

    def _log(self, conn: sa.Connection, session_id: str | None, user: str, action: str, detail: Any) -> None:
        conn.execute(
            log.insert().values(
                session_id=session_id,
                at=time.time(),
                user=user,
                action=action,
                detail=json.dumps(detail, sort_keys=True),
            )
        )

    def create_session(self, title: str, exercise: dict[str, Any], user: str) -> str:
        session_id = uuid.uuid4().hex
        with self.engine.begin() as conn:
            conn.execute(
                sessions.insert().values(
                    id=session_id,
                    title=title,
                    exercise=json.dumps(exercise),
                    status="running",
                    created_by=user,
                    created_at=time.time(),
                    version=1,
                )
            )
            self._log(conn, session_id, user, "create", {"exercise": exercise["id"], "title": title})
        return session_id

    def session(self, session_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sessions.select().where(sessions.c.id == session_id)).mappings().first()
        return dict(row) if row else None

    def version(self, session_id: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sessions.c.version).where(sessions.c.id == session_id)).scalar()

    def list_sessions(self) -> list[dict[str, Any]]:
        cols = [sessions.c.id, sessions.c.title, sessions.c.status, sessions.c.created_at, sessions.c.created_by]
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(*cols).order_by(sessions.c.created_at)).mappings()]

    def sessions_of(self, user: str) -> list[dict[str, Any]]:
        query = (
            sa.select(sessions.c.id, sessions.c.title, sessions.c.status, members.c.role)
            .join(members, members.c.session_id == sessions.c.id)
            .where(members.c.user == user)
            .order_by(sessions.c.created_at)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def assign(self, session_id: str, assignments: dict[str, str], user: str) -> None:
        with self.engine.begin() as conn:
            for member, role in assignments.items():
                conn.execute(members.delete().where(members.c.session_id == session_id, members.c.user == member))
                conn.execute(members.insert().values(session_id=session_id, user=member, role=role))
            self._bump(conn, session_id)
            self._log(conn, session_id, user, "assign", assignments)

    def members(self, session_id: str) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(members.c.user, members.c.role).where(members.c.session_id == session_id))
            return {r.user: r.role for r in rows}

    def role_of(self, session_id: str, user: str) -> str | None:
        with self.engine.connect() as conn:
            query = sa.select(members.c.role).where(members.c.session_id == session_id, members.c.user == user)
            return conn.execute(query).scalar()

    def release(self, session_id: str, inject: str, deadline: float | None, user: str) -> None:
        with self.engine.begin() as conn:
            seq = conn.execute(
                sa.select(sa.func.count()).select_from(releases).where(releases.c.session_id == session_id)
            ).scalar()
            conn.execute(
                releases.insert().values(
                    session_id=session_id, inject=inject, seq=seq + 1, released_at=time.time(), deadline=deadline
                )
            )
            self._bump(conn, session_id)
            self._log(conn, session_id, user, "release", {"inject": inject, "deadline": deadline})

    def releases(self, session_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            query = releases.select().where(releases.c.session_id == session_id).order_by(releases.c.seq)
            return [dict(r) for r in conn.execute(query).mappings()]

    def set_status(self, session_id: str, status: str, user: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.id == session_id).values(status=status))
            self._bump(conn, session_id)
            self._log(conn, session_id, user, "status", {"status": status})

    def decide(self, session_id: str, inject: str, role: str, user: str, option: str, rationale: str) -> int:
        """Add a decision; returns its id once committed (the acknowledgement the participant gets)."""
        return self.decide_many([(session_id, inject, role, user, option, rationale)])[0]

    def decide_many(self, batch: list[tuple[str, str, str, str, str, str]]) -> list[int]:
        """Add several decisions in one transaction (one disk flush for a room deciding at once); their ids."""
        ids = []
        with self.engine.begin() as conn:
            for session_id, inject, role, user, option, rationale in batch:
                done = conn.execute(
                    decisions.insert().values(
                        session_id=session_id,
                        inject=inject,
                        role=role,
                        user=user,
                        option=option,
                        rationale=rationale,
                        at=time.time(),
                    )
                )
                ids.append(done.inserted_primary_key[0])
            for session_id in {b[0] for b in batch}:
                self._bump(conn, session_id)
        return ids

    def open_poll(self, session_id: str, poll: str, user: str) -> None:
        """Open ``poll`` for the room (closing any poll still open)."""
        with self.engine.begin() as conn:
            now = time.time()
            conn.execute(
                polls.update()
                .where(polls.c.session_id == session_id, polls.c.closed_at.is_(None))
                .values(closed_at=now)
            )
            conn.execute(polls.insert().values(session_id=session_id, poll=poll, opened_at=now))
            self._bump(conn, session_id)
            self._log(conn, session_id, user, "poll-open", {"poll": poll})

    def close_poll(self, session_id: str, user: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                polls.update()
                .where(polls.c.session_id == session_id, polls.c.closed_at.is_(None))
                .values(closed_at=time.time())
            )
            self._bump(conn, session_id)
            self._log(conn, session_id, user, "poll-close", {})

    def polls(self, session_id: str) -> list[dict[str, Any]]:
        """Every poll run of the session, oldest first, each with its count of answers per option."""
        with self.engine.connect() as conn:
            runs = [
                dict(r)
                for r in conn.execute(
                    polls.select().where(polls.c.session_id == session_id).order_by(polls.c.id)
                ).mappings()
            ]
            counted = conn.execute(
                sa.select(votes.c.poll_id, votes.c.option, sa.func.count())
                .join(polls, polls.c.id == votes.c.poll_id)
                .where(polls.c.session_id == session_id)
                .group_by(votes.c.poll_id, votes.c.option)
            )
            counts: dict[int, dict[str, int]] = {}
            for poll_id, option, n in counted:
                counts.setdefault(poll_id, {})[option] = n
        return [{**run, "counts": counts.get(run["id"], {})} for run in runs]

    def vote(self, session_id: str, poll_id: int, voter: str, option: str) -> bool:
        """Record (or change) one anonymous answer, only while that poll is open; False if it is closed."""
        with self.engine.begin() as conn:
            still_open = conn.execute(
                sa.select(polls.c.id).where(
                    polls.c.id == poll_id, polls.c.session_id == session_id, polls.c.closed_at.is_(None)
                )
            ).scalar()
            if still_open is None:
                return False
            conn.execute(votes.delete().where(votes.c.poll_id == poll_id, votes.c.voter == voter))
            conn.execute(votes.insert().values(poll_id=poll_id, voter=voter, option=option))
            self._bump(conn, session_id)
        return True

    def vote_of(self, poll_id: int, voter: str) -> str | None:
        with self.engine.connect() as conn:
            query = sa.select(votes.c.option).where(votes.c.poll_id == poll_id, votes.c.voter == voter)
            return conn.execute(query).scalar()

    def decisions(self, session_id: str) -> list[dict[str, Any]]:
        """Every decision of the session, oldest first."""
        with self.engine.connect() as conn:
            query = decisions.select().where(decisions.c.session_id == session_id).order_by(decisions.c.id)
            return [dict(r) for r in conn.execute(query).mappings()]

    def log_entries(self, session_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            query = log.select().where(log.c.session_id == session_id).order_by(log.c.id)
            return [dict(r) for r in conn.execute(query).mappings()]

    def note(self, session_id: str | None, user: str, action: str, detail: Any) -> None:
        """Log a facilitator action that changes nothing else (an export, a refused request)."""
        with self.engine.begin() as conn:
            self._log(conn, session_id, user, action, detail)


def latest(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Each team's current decision per inject: ``{inject: {role: latest row}}``."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:  # oldest first: later rows replace earlier ones
        found.setdefault(row["inject"], {})[row["role"]] = row
    return found
