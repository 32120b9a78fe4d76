"""JupyterHub configuration for the cyber diplomacy course on one machine.

`deploy/setup-workshop-hub` copies this file into the hub's configuration folder (default
/etc/cyber-diplomacy-hub) with `hub_settings.json` beside it, which names the course id, the exchange, the
instructors and their course roots, the participants and the course environment. Edit the settings by
running the set-up again, not here.

- Login: PAM, i.e. the machine's own accounts and passwords; only the roster's participants and the
  instructors may log in.
- Servers: LocalProcessSpawner, one JupyterLab per account, running as that account, from the course
  environment (the same packages as Binder's, plus JupyterHub).
- Each server gets the Jupyter configuration of its role through JUPYTER_CONFIG_PATH: participants get the
  course id and the exchange (Assignment List) with nbgrader's instructor tools switched off; instructors
  get `CourseDirectory.root` so formgrader finds the course.
- Each account's server listens on its own loopback address and its kernels on Unix sockets in its home
  (coursekit.hub.addresses), so servers and kernels starting together never pick the same port.
- Idle kernels are stopped after an hour and idle servers after two, so a forgotten tab does not hold memory.
- The tabletop exercise runs as a hub-managed service at /services/tabletop/ (started, stopped and restarted
  by the hub, authenticated by the hub's OAuth); the instructors form the hub group that may facilitate it.
  Its state is tabletop.sqlite in the hub's state folder (see coursekit.hub.tabletop_service).
"""

import json
import os
import pwd
from pathlib import Path

from coursekit.hub.addresses import SERVER_PORT, kernel_transport_args, loopback_address
from coursekit.hub.tabletop_service import configure as declare_tabletop

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

SETTINGS = json.loads((Path(__file__).resolve().parent / "hub_settings.json").read_text(encoding="utf-8"))
INSTRUCTORS = SETTINGS["instructors"]  # login -> course root
CONFIG = Path(SETTINGS["jupyter_config"])
VENV = Path(SETTINGS["venv"])

c.JupyterHub.ip = SETTINGS["ip"]
c.JupyterHub.port = SETTINGS["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = SETTINGS["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{SETTINGS['proxy_api_port']}"
c.JupyterHub.db_url = f"sqlite:///{Path(SETTINGS['state_dir']) / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(Path(SETTINGS["state_dir"]) / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [SETTINGS["proxy"]]
c.ConfigurableHTTPProxy.pid_file = str(Path(SETTINGS["state_dir"]) / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(SETTINGS["participants"]) | set(INSTRUCTORS)
c.Authenticator.admin_users = set()  # instructors grade with nbgrader; nobody needs to act as another user

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
SERVER_ARGS = [
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_interval=300",
    "--ServerApp.shutdown_no_activity_timeout=7200",
    # no calls out of the hub for JupyterLab's news or updates
    "--LabApp.news_url=",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    # the Extension Manager lists what is installed and offers no PyPI search: nobody but root can install into
    # the course environment, and the PyPI manager's set-up costs every server 0.15 CPU-s at start
    "--LabApp.extension_manager=readonly",
]
c.Spawner.args = SERVER_ARGS


def role_environment(spawner) -> None:
    """Give the server its role's Jupyter configuration and the course environment on PATH."""
    name = spawner.user.name
    config = CONFIG / "instructor" / name if name in INSTRUCTORS else CONFIG / "participant"
    spawner.environment.update(
        {
            "JUPYTER_CONFIG_PATH": str(config),
            "PATH": f"{VENV / 'bin'}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
            # the course's nbgrader_config.py reads the exchange from here (instructor commands in a terminal too)
            "COURSEKIT_EXCHANGE": SETTINGS["exchange"],
        }
    )
    # the server on the account's own loopback address, its kernels on Unix sockets: no port race when many
    # servers and kernels start at once (see coursekit.hub.addresses)
    account = pwd.getpwnam(name)
    address = loopback_address(account.pw_uid)
    if address:
        spawner.ip, spawner.port = address, SERVER_PORT
    spawner.args = [*SERVER_ARGS, *kernel_transport_args(account.pw_dir)]


c.Spawner.pre_spawn_hook = role_environment


declare_tabletop(
    c,
    python=str(VENV / "bin" / "python"),
    port=SETTINGS.get("tabletop_port", 8082),
    db_url=f"sqlite:///{Path(SETTINGS['state_dir']) / 'tabletop.sqlite'}",
    instructors=INSTRUCTORS,
    course=SETTINGS["course"],
)
