"""Set up one machine as the course's JupyterHub: accounts from the roster, folders, permissions, settings.

Run as root by ``deploy/setup-workshop-hub`` once the course environment is installed. What it guarantees
on a shared machine, because each point was a way for one participant to reach keys or another's work:

* every account's home folder is private (0700), so nobody reads the instructor's course root (the source
  notebooks with their keys, the gradebook, collected submissions), which is private too;
* the exchange is a folder owned by root with mode 1777, so participants can submit but cannot remove or
  replace a folder someone else created in it (the course's folder among them);
* participants' servers get a Jupyter configuration of their own: course id and exchange for the Assignment
  List, nbgrader's instructor tools (Formgrader, Create Assignment, Course List), its Validate button and
  JupyterLab's news switched off (``coursekit.participant.lab_config``); only the instructors' servers get
  ``CourseDirectory.root`` and the tools.

Everything is idempotent: running it again adds new roster entries and repairs modes, and changes no password.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..grading.course import Course, CourseError
from ..grading.workflow import EXCHANGE_MODE, read_roster
from ..participant.lab_config import participant_lab_files

#: what the instructor's copy of the course needs (the rest of the repository is for building the book)
COURSE_FILES = ("course.toml", "nbgrader_config.py", "_config.yml", "_toc.yml", "notebooks", "book", "tabletop")
#: what the hub's own services read of the course (the settings and the tabletop exercises), readable by all
SHARED_FILES = ("course.toml", "tabletop")


@dataclass
class HubSettings:
    """What ``deploy/jupyterhub_config.py`` reads (``hub_settings.json`` beside it)."""

    course_id: str
    exchange: str
    instructors: dict[str, str]  # login -> course root
    participants: list[str]
    venv: str  # the course environment every server runs in
    jupyter_config: str  # holds participant/ and instructor/
    state_dir: str  # the hub's database and cookie secret
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 8081  # the hub's own API, on 127.0.0.1
    proxy_api_port: int = 8001  # configurable-http-proxy's API, on 127.0.0.1
    proxy: str = "configurable-http-proxy"
    tabletop_port: int = 8082  # the tabletop service (declared by coursekit.hub.tabletop_service), on 127.0.0.1
    course: str = ""  # the course's settings and tabletop exercises, for the hub's services (COURSEKIT_COURSE)


def participant_config(course_id: str, exchange: str) -> dict[str, str]:
    """Files of the participants' Jupyter configuration folder, by relative path."""
    return {"nbgrader_config.py": _nbgrader_config(course_id, exchange), **participant_lab_files()}


def instructor_config(course_id: str, exchange: str, course_root: str) -> dict[str, str]:
    """Files of an instructor's Jupyter configuration folder: formgrader finds the course there.

    Formgrader reads this folder's configuration, not the course root's ``nbgrader_config.py``: its Collect
    and Generate Feedback buttons are pointed at the course's collector and feedback page here too.
    """
    return {
        "nbgrader_config.py": _nbgrader_config(course_id, exchange)
        + f"c.CourseDirectory.root = {course_root!r}\n"
        + "# formgrader's Collect and Generate Feedback buttons: the course's checks and pages (see nbgrader_config.py)\n"
        + "c.ExchangeFactory.collect = 'coursekit.hub.exchange.CourseCollect'\n"
        + "c.GenerateFeedback.exporter_class = 'coursekit.grading.feedback_page.FeedbackPageExporter'\n"
    }


def _nbgrader_config(course_id: str, exchange: str) -> str:
    return (
        "# Written by coursekit.hub.setup (deploy/setup-workshop-hub); run it again rather than editing this.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {exchange!r}\n"
        "# submissions writable by their owner only (nbgrader's own submit leaves them world-writable)\n"
        "c.ExchangeFactory.submit = 'coursekit.hub.exchange.PrivateSubmit'\n"
    )


def write_tree(folder: Path, files: dict[str, str]) -> None:
    """Write ``files`` under ``folder``, readable by everyone and writable by root only."""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        path.chmod(0o755)


def ensure_account(name: str) -> str | None:
    """Create the local account ``name`` with a random password if it does not exist; return that password.

    An existing account keeps its password (None is returned). Either way its home folder becomes 0700.
    """
    password = None
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name], check=True)
        password = secrets.token_urlsafe(12)
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    return password


def as_user(
    name: str, command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``command`` as the local account ``name`` with a clean environment (HOME, PATH and ``env``)."""
    account = pwd.getpwnam(name)
    clean = {
        "HOME": account.pw_dir,
        "USER": name,
        "LOGNAME": name,
        "LANG": "C.UTF-8",
        "PATH": f"{Path(command[0]).parent}:/usr/local/bin:/usr/bin:/bin",
        **(env or {}),
    }
    return subprocess.run(
        ["runuser", "-u", name, "--", "env", "-i", *(f"{k}={v}" for k, v in clean.items()), *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_course(source: Path, root: Path, names: tuple[str, ...]) -> None:
    """Copy the files and folders ``names`` of the course at ``source`` into ``root``."""
    for name in names:
        src, dest = source / name, root / name
        if src.is_dir():
            shutil.copytree(
                src, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
            )
        elif src.is_file():
            shutil.copy2(src, dest)


def shared_files(source: Path) -> dict[str, str]:
    """The texts of :data:`SHARED_FILES` of the course at ``source``, by path relative to it."""
    paths = [p for name in SHARED_FILES for p in [source / name, *sorted((source / name).rglob("*"))]]
    return {str(p.relative_to(source)): p.read_text(encoding="utf-8") for p in paths if p.is_file()}


def install_course(source: Path, instructor: str, course_id: str) -> Path:
    """Copy the course (sources with keys) into the instructor's home as a folder only they can enter.

    The folder is named after the course id.
    """
    account = pwd.getpwnam(instructor)
    root = Path(account.pw_dir) / course_id
    root.mkdir(mode=0o700, exist_ok=True)
    copy_course(source, root, COURSE_FILES)
    for path in [root, *root.rglob("*")]:
        os.lchown(path, account.pw_uid, account.pw_gid)
    root.chmod(0o700)
    return root


def ensure_exchange_root(exchange: Path) -> None:
    """The exchange: owned by root, mode 1777 (anyone submits; nobody replaces what others created)."""
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(EXCHANGE_MODE)


def setup(args: argparse.Namespace) -> HubSettings:
    """Accounts, course copy, exchange, Jupyter configurations and hub settings; see the module docstring."""
    if os.geteuid() != 0:
        raise CourseError("The hub set-up creates accounts and sets owners: run it as root.")
    source = Path(args.course).resolve()
    course_id = Course(source).course_id
    participants = [row["id"] for row in read_roster(Path(args.roster))]
    clash = set(participants) & set(args.instructor)
    if clash:
        raise CourseError(f"{', '.join(sorted(clash))} cannot be both instructor and participant.")
    etc, exchange = Path(args.etc), Path(args.exchange)
    passwords = {name: pw for name in [*args.instructor, *participants] if (pw := ensure_account(name))}
    ensure_exchange_root(exchange)
    roots = {}
    for name in args.instructor:
        root = install_course(source, name, course_id)
        shutil.copy(args.roster, root / "roster.csv")
        os.chown(root / "roster.csv", pwd.getpwnam(name).pw_uid, pwd.getpwnam(name).pw_gid)
        done = as_user(
            name,
            [str(Path(args.venv) / "bin" / "coursekit"), "roster", "roster.csv"],
            cwd=root,
            env={"COURSEKIT_EXCHANGE": str(exchange)},
        )
        if done.returncode:
            raise CourseError(f"coursekit roster failed for {name}: {done.stderr.strip()[-500:]}")
        roots[name] = str(root)
    shared = etc / "course"
    write_tree(shared, shared_files(source))
    jupyter = etc / "jupyter"
    write_tree(jupyter / "participant", participant_config(course_id, str(exchange)))
    for name, root in roots.items():
        write_tree(jupyter / "instructor" / name, instructor_config(course_id, str(exchange), root))
    state = Path(args.state_dir)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)
    settings = HubSettings(
        course_id,
        str(exchange),
        roots,
        participants,
        str(Path(args.venv).resolve()),
        str(jupyter),
        str(state),
        args.ip,
        args.port,
        args.hub_port,
        args.proxy_api_port,
        args.proxy,
        args.tabletop_port,
        str(shared),
    )
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "hub_settings.json").write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    shutil.copy(source / "deploy" / "jupyterhub_config.py", etc / "jupyterhub_config.py")
    if passwords:
        listing = etc / "new-passwords.csv"
        fd = os.open(listing, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.writelines(f"{name},{pw}\n" for name, pw in passwords.items())
    return settings


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m coursekit.hub.setup", description=__doc__.splitlines()[0])
    p.add_argument("--roster", required=True, help="CSV with id,first_name,last_name,email (id = login name)")
    p.add_argument("--instructor", action="append", required=True, help="instructor login (repeatable)")
    p.add_argument("--course", default=".", help="the course repository to copy from (default: .)")
    p.add_argument("--venv", default=str(Path(sys.prefix)), help="the course environment (default: this one)")
    p.add_argument("--etc", default="/etc/cyber-diplomacy-hub", help="where the hub's configuration goes")
    p.add_argument("--exchange", default="/srv/nbgrader/exchange", help="nbgrader exchange (made 1777)")
    p.add_argument("--state-dir", default="/var/lib/cyber-diplomacy-hub", help="hub database and cookie secret")
    p.add_argument("--ip", default="127.0.0.1", help="address the hub listens on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port participants use (default: 8000)")
    p.add_argument("--hub-port", type=int, default=8081, help="the hub's internal API port (default: 8081)")
    p.add_argument("--proxy-api-port", type=int, default=8001, help="the proxy's API port (default: 8001)")
    p.add_argument("--proxy", default="configurable-http-proxy", help="the configurable-http-proxy command")
    p.add_argument("--tabletop-port", type=int, default=8082, help="the tabletop service's port (default: 8082)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = setup(args)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Hub ready for {len(settings.participants)} participant(s) and {len(settings.instructors)} instructor(s).")
    print(
        f"Start it: cd {settings.state_dir} && {settings.venv}/bin/jupyterhub -f {Path(args.etc) / 'jupyterhub_config.py'}"
    )
    print(f"New accounts' passwords: {Path(args.etc) / 'new-passwords.csv'} (readable by root only)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
