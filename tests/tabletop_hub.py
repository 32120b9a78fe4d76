"""A real JupyterHub with the tabletop service, for the service's tests and the load benchmark.

The hub runs from the test environment (the same JupyterHub version as the course's hub), with its dummy
authenticator (any password: no Unix accounts needed, so it runs without root) and the configurable-http-proxy
the hub environment installs. The service is declared by ``coursekit.hub.tabletop_service``, exactly as
``deploy/jupyterhub_config.py`` declares it, and started by the hub. A test-only service with an admin token
creates users and their real hub API tokens. Everything listens on 127.0.0.1 and is stopped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

from browser import ARTIFACTS, free_port

PROXY_CANDIDATES = [
    Path(os.environ.get("HUB_PREFIX", "/opt/cyber-diplomacy-hub"))
    / "proxy"
    / "node_modules"
    / ".bin"
    / "configurable-http-proxy",
    Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "configurable-http-proxy",
]

CONFIG = """
import json, sys
from coursekit.hub.tabletop_service import configure
s = json.loads({settings!r})
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = s["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{{s['proxy_api_port']}}"
c.ConfigurableHTTPProxy.command = [s["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{{s['state']}}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{{s['state']}}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.log_level = "INFO"
configure(c, python=sys.executable, port=s["service_port"], db_url=s["db_url"], instructors=s["instructors"], course=s["course"])
c.JupyterHub.services.append({{"name": "test-admin", "api_token": s["admin_token"]}})
c.JupyterHub.load_roles.append(
    {{"name": "test-admin", "scopes": ["admin:users", "admin:groups", "tokens"], "services": ["test-admin"]}}
)
"""


def proxy() -> Path | None:
    return next((p for p in PROXY_CANDIDATES if p.exists()), None)


class Hub:
    """A running hub: its URL, the service's URL through the proxy, and an admin API client."""

    def __init__(self, base: Path, settings: dict[str, Any], proc: subprocess.Popen):
        self.base, self.settings, self.proc = base, settings, proc
        self.url = f"http://127.0.0.1:{settings['port']}"
        self.service_url = f"{self.url}/services/tabletop/"
        self.direct_url = f"http://127.0.0.1:{settings['service_port']}/services/tabletop/"
        self.db_path = base / "tabletop.sqlite"

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}/hub/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.settings['admin_token']}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def user_token(self, name: str, scopes: list[str] | None = None) -> str:
        """A new user (created if needed) and a real hub API token of theirs."""
        with contextlib.suppress(urllib.error.HTTPError):
            self.admin("POST", f"users/{name}")
        body = {"note": "tabletop test"} | ({"scopes": scopes} if scopes is not None else {})
        return self.admin("POST", f"users/{name}/tokens", body)["token"]

    def service_pid(self) -> int:
        """The pid of the service process the hub started (found by its command line)."""
        import psutil

        for child in psutil.Process(self.proc.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if (
                    child.cmdline()[-3:] == ["-m", "coursekit.tabletop", "serve"][-3:]
                    and "coursekit.tabletop" in child.cmdline()
                ):
                    return child.pid
        raise AssertionError("the hub has not started the tabletop service")


def wait_for(url: str, deadline: float, proc: subprocess.Popen, log: Path, ok=(200, 302, 403, 405)) -> None:
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError as err:
            if err.code in ok:
                return
        except OSError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-4000:]
        time.sleep(0.3)


@contextlib.contextmanager
def running_hub(instructors: list[str], db_url: str | None = None) -> Iterator[Hub]:
    found = proxy()
    assert found, (
        f"configurable-http-proxy is missing (looked in {[str(p) for p in PROXY_CANDIDATES]}): run `make hub-env`"
    )
    base = Path(tempfile.mkdtemp(prefix="coursekit-tabletop-"))
    (base / "state").mkdir()
    settings = {
        "port": free_port(),
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "service_port": free_port(),
        "proxy": str(found),
        "state": str(base / "state"),
        "db_url": db_url or f"sqlite:///{base / 'tabletop.sqlite'}",
        "instructors": instructors,
        "course": str(Path(__file__).resolve().parents[1]),  # this repository's course.toml and tabletop/
        "admin_token": secrets.token_hex(32),
    }
    (base / "jupyterhub_config.py").write_text(CONFIG.format(settings=json.dumps(settings)), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "tabletop-hub.log"
    log = open(log_path, "w")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(base / "jupyterhub_config.py")],
        cwd=base / "state",
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    try:
        hub = Hub(base, settings, proc)
        deadline = time.monotonic() + 90
        wait_for(f"{hub.url}/hub/login", deadline, proc, log_path)
        wait_for(f"{hub.service_url}api/me", deadline, proc, log_path)
        yield hub
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the services it started
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        shutil.rmtree(base, ignore_errors=True)
