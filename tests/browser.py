"""Helpers for browser tests: Debian's Chromium under Playwright, a JupyterLab server, a static server.

Everything listens on 127.0.0.1 only, on a free port, and is always shut down, even when a test fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from coursekit.participant.lab_config import participant_environment, write_lab_files

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
REPO = Path(__file__).resolve().parents[1]


def released_course(tmp_path_factory, topics: tuple[str, ...], name: str = "course") -> Path:
    """A participant release of ``topics`` built from this checkout in a course of its own (a temporary folder),
    as ``generate_release`` makes it; the folder that holds the released topics. Fails without Chromium, since
    every browser test needs it."""
    import shutil

    import pytest

    from coursekit.grading.course import Course
    from coursekit.grading.workflow import generate_release

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (apt-get install chromium)")
    root = tmp_path_factory.mktemp(name)
    for config in ("nbgrader_config.py", "_config.yml"):
        shutil.copy(REPO / config, root)
    course = Course(root)
    for topic in topics:
        shutil.copytree(REPO / "notebooks" / topic, root / "notebooks" / topic)
        generate_release(course, topic)
    ARTIFACTS.mkdir(exist_ok=True)
    return course.release


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def chromium_page(errors: list[str]) -> Iterator:
    """A Playwright page in Debian's Chromium; console errors and page errors are appended to ``errors``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            yield page
        finally:
            browser.close()


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class JupyterLab:
    """A JupyterLab 4 server on 127.0.0.1 with a random port and token, rooted at ``root``.

    ``user`` plays the hub's ``JUPYTERHUB_USER`` for the kernels (it sets the participant's option order);
    ``None`` runs as outside a hub, without one. The server starts as participants' servers do: the
    participant's Jupyter configuration folder first on ``JUPYTER_CONFIG_PATH`` (as on the hub, on Binder
    and with ``coursekit lab``), so tests see what participants see; ``instructor=True`` starts it as an
    instructor's server instead (formgrader and nbgrader's instructor tools on).
    """

    def __init__(self, root: Path, log: Path, user: str | None = None, instructor: bool = False) -> None:
        self.root, self.log_path, self.user, self.instructor = root, log, user, instructor
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "JupyterLab":
        settings = self.root.parent / "lab-user-settings"
        tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
        tracker.parent.mkdir(parents=True, exist_ok=True)
        # Render every cell (no windowing), so a test can reach any exercise without scrolling logic.
        tracker.write_text('{"windowingMode": "none"}')
        participant_config = self.root.parent / "participant-config"
        write_lab_files(participant_config)
        env = {
            **(dict(os.environ) if self.instructor else participant_environment(participant_config)),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "JUPYTER_CONFIG_DIR": str(self.root.parent / "jupyter-config"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
        }
        env.pop("COURSEKIT_ANSWERS_FILE", None)
        env.pop("JUPYTERHUB_USER", None)
        if self.user is not None:
            env["JUPYTERHUB_USER"] = self.user
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                "--ServerApp.disable_check_xsrf=False",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--ServerApp.open_browser=False",
                "--allow-root",
            ],
            cwd=self.root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"JupyterLab did not start; see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()

    def lab_url(self, path: str) -> str:
        # "reset": start from an empty workspace, so only this notebook is open
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def server_log(self) -> str:
        return self.log_path.read_text(errors="ignore")


IDLE = "document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null"


def wait_idle(page, timeout: int = 120_000) -> None:
    """Wait until the open notebook's kernel is idle."""
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE, timeout=timeout)


def run_all_cells(
    page, started: str = "document.querySelectorAll('.coursekit-exercise').length > 0", timeout: int = 60_000
) -> None:
    """Run → Run All Cells, once the notebook has focus, until the JavaScript condition ``started`` holds;
    retried if the command did not start (a click that lands while JupyterLab is still restoring its layout
    is ignored)."""
    for attempt in range(3):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(started, timeout=timeout)
            return
        except Exception:
            if attempt == 2:
                raise


def open_and_run_all(page, server: JupyterLab, path: str, expected_exercises: int) -> None:
    """Open the notebook at ``path`` and run all its cells until ``expected_exercises`` exercises are drawn."""
    page.goto(server.lab_url(path))
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    wait_idle(page)
    run_all_cells(page)
    page.wait_for_function(
        f"document.querySelectorAll('.coursekit-exercise[data-coursekit-ready]').length >= {expected_exercises}",
        timeout=120_000,
    )
    wait_idle(page)


def restart_and_run_all(page) -> None:
    """Kernel → Restart Kernel and Run All Cells, confirmed, then wait until the kernel is idle."""
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
    page.locator(".jp-Dialog-footer button.jp-mod-accept").click()
    page.wait_for_timeout(1500)
    wait_idle(page)
