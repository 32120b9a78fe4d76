"""The tabletop exercise as a JupyterHub service: one process the hub starts, stops and authenticates for.

Who may do what is decided by the hub, not here: the hub's OAuth (browser) or its API tokens (scripts)
identify the user through :class:`jupyterhub.services.auth.HubOAuth`; reaching the service at all needs the
scope ``access:services!service=<name>``, and facilitating needs :data:`FACILITATE`, a custom scope the hub
grants through a role to its instructors group (``coursekit.hub.tabletop_service`` writes that configuration).
A browser's state-changing request must carry the hub's XSRF token, so a page elsewhere cannot decide for a
logged-in participant. Every refusal is a JSON ``{"error": ...}`` with a clear sentence and changes nothing.

Pages: ``/`` (a participant's view, polling once a second) and ``/console`` (the facilitator's). API under
``/api/``. State lives in :mod:`.store`; what each person may see is in :mod:`.views`. Only this module needs
jupyterhub and tornado: solo play and the book never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import secrets
import signal
import sys
import time
from importlib import resources
from typing import Any
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.log import app_log

from . import views
from .access import FACILITATE
from .model import ExerciseError, course_exercises, load, parse
from .store import Store
from .views import Refused

#: Largest request body read (a decision is well under 3 kB; an uploaded exercise file up to 1 MB).
MAX_BODY = 1_100_000
MAX_DECISION_BODY = 16_384
USER_NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,100}$")
STATIC = resources.files(__package__).joinpath("static")


class Base(HubOAuthenticated, web.RequestHandler):
    """Identity, JSON in and out, and refusals as JSON."""

    def initialize(self, store: Store) -> None:
        self.store = store

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    @property
    def user(self) -> dict[str, Any]:
        user = self.current_user
        if not user:
            raise Refused(403, "Log in through the hub first (or send a hub API token).")
        if user.get("kind", "user") != "user":
            raise Refused(403, "Only hub users take part in an exercise.")
        return user

    @property
    def facilitator(self) -> bool:
        return FACILITATE in set(self.user.get("scopes", []))

    def require_facilitator(self) -> str:
        if not self.facilitator:
            raise Refused(403, "Only the hub's instructors may facilitate.")
        return self.user["name"]

    def body(self, limit: int = MAX_BODY) -> Any:
        if len(self.request.body) > limit:
            raise Refused(413, f"The request is larger than {limit} bytes.")
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise Refused(415, "Send JSON (Content-Type: application/json).")
        try:
            return json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Refused(400, "The request body is not valid JSON (or is nested too deeply).") from None

    def reply(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data))

    def log_exception(self, typ, value, tb) -> None:  # type: ignore[no-untyped-def]
        if isinstance(value, Refused):  # an expected refusal: one line, no traceback
            app_log.info("refused %s %s: %s", self.request.method, self.request.path, value)
        else:
            super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, Refused):
            self.reply({"error": str(error)}, error.status)
            return
        messages = {403: "Not allowed: log in through the hub, with the right role.", 404: "Not found."}
        self.reply({"error": messages.get(status_code, self._reason)}, status_code)


class PageHandler(Base):
    """The two pages: static HTML, filled in by their script from the API (never by string templating)."""

    def initialize(self, store: Store, page: str) -> None:
        super().initialize(store)
        self.page = page

    @web.authenticated
    def get(self) -> None:
        if self.page == "console.html":
            self.require_facilitator()
        html = STATIC.joinpath(self.page).read_text(encoding="utf-8")
        # the only values put into the page: the XSRF token and whether the console link shows (no user data)
        html = html.replace("{{xsrf}}", self.xsrf_token.decode()).replace(
            "{{facilitator}}", json.dumps(self.facilitator)
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'self'")
        self.finish(html)


class StaticHandler(Base):
    FILES = {"tabletop.js": "application/javascript", "tabletop.css": "text/css"}

    def get(self, name: str) -> None:
        if name not in self.FILES:
            raise Refused(404, "Not found.")
        self.set_header("Content-Type", self.FILES[name])
        self.finish(STATIC.joinpath(name).read_text(encoding="utf-8"))


class MeHandler(Base):
    def get(self) -> None:
        user = self.user
        self.reply(
            {"name": user["name"], "facilitator": self.facilitator, "sessions": self.store.sessions_of(user["name"])}
        )


class PlayHandler(Base):
    """A participant's view of one session; ``?since=N`` answers 204 when nothing changed (cheap polling)."""

    def get(self, session_id: str) -> None:
        name = self.user["name"]
        since = self.get_argument("since", "")
        version = self.store.version(session_id)
        if version is None:
            raise Refused(404, "No such session.")
        if since.isdigit() and int(since) == version and views.role_of(self.store, session_id, name):
            self.set_status(204)
            self.finish()
            return
        view = views.participant_view(self.store, session_id, name)
        view["poll"] = views.poll_view(self.store, session_id, name, self.settings["cookie_secret"])
        self.reply(view)


class VoteHandler(Base):
    """An answer to the room's open poll: counted anonymously (see :func:`.views.voter`)."""

    def post(self, session_id: str) -> None:
        name = self.user["name"]
        run, option = views.check_vote(self.store, session_id, name, self.body(MAX_DECISION_BODY))
        if not self.store.vote(session_id, run, views.voter(self.settings["cookie_secret"], run, name), option):
            raise Refused(409, "That poll has just closed.")
        self.reply({"ok": True}, 201)


class GroupCommit:
    """Decisions arriving together are written in one transaction, in a worker thread, and each is
    acknowledged only after that transaction has committed: a room of thirty deciding at once costs one disk
    flush, not thirty in a row, and the service keeps answering polls meanwhile."""

    def __init__(self, store: Store):
        self.store = store
        self.pending: list[tuple[tuple, asyncio.Future]] = []
        self.writing = False

    async def decide(self, *decision: str) -> int:
        future = asyncio.get_running_loop().create_future()
        self.pending.append((decision, future))
        if not self.writing:
            self.writing = True
            asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                try:
                    ids = await asyncio.get_running_loop().run_in_executor(
                        None, self.store.decide_many, [d for d, _ in batch]
                    )
                except Exception as err:  # nothing was committed: every request of the batch fails
                    for _, future in batch:
                        future.set_exception(err)
                else:
                    for (_, future), decision_id in zip(batch, ids):
                        future.set_result(decision_id)
        finally:
            self.writing = False


class DecideHandler(Base):
    def initialize(self, store: Store, writer: GroupCommit) -> None:
        super().initialize(store)
        self.writer = writer

    async def post(self, session_id: str) -> None:
        name = self.user["name"]
        checked = views.check_decision(self.store, session_id, name, self.body(MAX_DECISION_BODY))
        inject, role, option, rationale = checked
        decision_id = await self.writer.decide(session_id, inject, role, name, option, rationale)
        self.reply({"ok": True, "id": decision_id}, 201)


class SessionsHandler(Base):
    def get(self) -> None:
        self.require_facilitator()
        self.reply({"sessions": self.store.list_sessions(), "exercises": sorted(course_exercises())})

    def post(self) -> None:
        who = self.require_facilitator()
        body = self.body()
        if not isinstance(body, dict) or set(body) - {"exercise", "text", "title"}:
            raise Refused(400, "Send {exercise: <id>} or {text: <exercise file>}, with an optional title.")
        try:
            if isinstance(body.get("text"), str):
                exercise = parse(body["text"], "the uploaded file")
            elif body.get("exercise") in course_exercises():
                exercise = load(course_exercises()[body["exercise"]])
            else:
                raise Refused(400, f"Unknown exercise: choose one of {', '.join(sorted(course_exercises()))}.")
        except ExerciseError as err:
            self.reply({"error": "The exercise file has problems.", "problems": err.problems[:50]}, 400)
            return
        title = body.get("title") or exercise.title
        if not isinstance(title, str) or len(title) > 200:
            raise Refused(400, "The title must be text of at most 200 characters.")
        self.reply({"id": self.store.create_session(title, exercise.data, who)}, 201)


class ConsoleHandler(Base):
    def get(self, session_id: str) -> None:
        self.require_facilitator()
        since = self.get_argument("since", "")
        version = self.store.version(session_id)
        if version is None:
            raise Refused(404, "No such session.")
        if since.isdigit() and int(since) == version:
            self.set_status(204)
            self.finish()
            return
        self.reply(views.console_view(self.store, session_id))


class ActionHandler(Base):
    """The facilitator's actions on a session; each is logged with time and user by the store."""

    def post(self, session_id: str, action: str) -> None:
        who = self.require_facilitator()
        session, exercise, releases, _ = views.state(self.store, session_id)
        body = self.body(MAX_DECISION_BODY * 4)
        if not isinstance(body, dict):
            raise Refused(400, "Send a JSON object.")
        roles = [r["id"] for r in exercise.roles]
        if action == "assign":
            self.store.assign(session_id, assignments(body, roles), who)
        elif action == "release":
            if session["status"] == "debrief":
                raise Refused(409, "The debrief is open: no more injects.")
            inject, minutes = body.get("inject"), body.get("minutes")
            if inject not in [i["id"] for i in exercise.injects]:
                raise Refused(400, "Unknown inject.")
            if inject in [r["inject"] for r in releases]:
                raise Refused(409, "That inject is already released.")
            if minutes is not None and (type(minutes) is not int or not 1 <= minutes <= 240):
                raise Refused(400, "minutes must be a whole number from 1 to 240, or absent for no deadline.")
            self.store.release(session_id, inject, time.time() + 60 * minutes if minutes else None, who)
        elif action == "pause":
            if session["status"] == "debrief" or not isinstance(body.get("paused"), bool):
                raise Refused(
                    409 if session["status"] == "debrief" else 400, "Send {paused: true|false} before the debrief."
                )
            self.store.set_status(session_id, "paused" if body["paused"] else "running", who)
        elif action == "poll":
            if body.get("close") is True:
                self.store.close_poll(session_id, who)
            elif isinstance(body.get("poll"), str) and exercise.poll(body["poll"]):
                self.store.open_poll(session_id, body["poll"], who)
            else:
                raise Refused(400, "Send {poll: <poll id>} to open a poll, or {close: true}.")
        elif action == "debrief":
            self.store.set_status(session_id, "debrief", who)
        else:
            raise Refused(404, "Unknown action.")
        self.reply({"ok": True, "version": self.store.version(session_id)})


def assignments(body: dict[str, Any], roles: list[str]) -> dict[str, str]:
    """``{user: role}`` from ``{assignments: {user: role}}`` or ``{random: [users]}`` (roles dealt in turn
    after a shuffle, so teams differ in size by at most one)."""
    if isinstance(body.get("assignments"), dict):
        wanted = body["assignments"]
    elif isinstance(body.get("random"), list):
        users = list(dict.fromkeys(body["random"]))
        order = roles[:]
        secrets.SystemRandom().shuffle(order)
        secrets.SystemRandom().shuffle(users)
        wanted = {u: order[k % len(order)] for k, u in enumerate(users) if isinstance(u, str)}
    else:
        raise Refused(400, "Send {assignments: {user: role}} or {random: [user, ...]}.")
    if len(wanted) > 500:
        raise Refused(400, "At most 500 participants per session.")
    for user, role in wanted.items():
        if not isinstance(user, str) or not USER_NAME.match(user):
            raise Refused(400, f"Not a hub user name: {str(user)[:40]!r}.")
        if role not in roles:
            raise Refused(400, f"Unknown role {str(role)[:40]!r}: the roles are {', '.join(roles)}.")
    return wanted


class ExportHandler(Base):
    def get(self, session_id: str, kind: str) -> None:
        who = self.require_facilitator()
        if kind == "json":
            data = views.export_json(self.store, session_id)
            self.store.note(session_id, who, "export", {"format": "json"})
            self.set_header("Content-Disposition", f'attachment; filename="tabletop-{session_id}.json"')
            self.reply(data)
        else:
            text = views.export_csv(self.store, session_id)
            self.store.note(session_id, who, "export", {"format": "csv"})
            self.set_header("Content-Type", "text/csv; charset=utf-8")
            self.set_header("Content-Disposition", f'attachment; filename="tabletop-{session_id}.csv"')
            self.finish("\ufeff" + text)  # the byte-order mark makes spreadsheets read UTF-8


def make_app(store: Store, prefix: str) -> web.Application:
    auth = HubOAuth.instance()
    session = r"([0-9a-f]{32})"
    routes = [
        (r"", PageHandler, {"store": store, "page": "play.html"}),
        (r"console", PageHandler, {"store": store, "page": "console.html"}),
        (r"static/([a-z.]+)", StaticHandler, {"store": store}),
        (r"oauth_callback", HubOAuthCallbackHandler),
        (r"api/me", MeHandler, {"store": store}),
        (rf"api/play/{session}", PlayHandler, {"store": store}),
        (rf"api/play/{session}/vote", VoteHandler, {"store": store}),
        (rf"api/play/{session}/decide", DecideHandler, {"store": store, "writer": GroupCommit(store)}),
        (r"api/sessions", SessionsHandler, {"store": store}),
        (rf"api/sessions/{session}", ConsoleHandler, {"store": store}),
        (rf"api/sessions/{session}/(assign|release|pause|poll|debrief)", ActionHandler, {"store": store}),
        (rf"api/sessions/{session}/export\.(csv|json)", ExportHandler, {"store": store}),
    ]
    # a secret stable across restarts (so a killed and restarted service keeps its users' cookies): derived
    # from the service's own hub token, which only the hub and this process know
    secret = hashlib.sha256(b"coursekit-tabletop-cookie:" + auth.api_token.encode()).digest()
    return web.Application(
        [(prefix + pattern, *rest) for pattern, *rest in routes],
        cookie_secret=secret,
        login_url=auth.login_url,
        hub_auth=auth,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit.tabletop serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default=os.environ.get("TABLETOP_DB_URL", "sqlite:///tabletop.sqlite"), help="SQLAlchemy URL"
    )
    args = parser.parse_args(argv)
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/tabletop/")
    store = Store(args.db)
    server = HTTPServer(make_app(store, prefix), max_body_size=MAX_BODY, xheaders=True)
    server.listen(url.port or 80, url.hostname or "127.0.0.1")
    print(f"tabletop service on {url.geturl()} (prefix {prefix}), state in {args.db}", file=sys.stderr, flush=True)
    loop = IOLoop.current()
    # the hub stops its services with SIGTERM (or SIGINT): stop serving; every acknowledged write is on disk
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.asyncio_loop.add_signal_handler(number, loop.stop)
    loop.start()
    return 0
