"""`coursekit lab` serves JupyterLab with the participant's configuration, read the way JupyterLab 4 reads it.

The server is started as a participant starts it on their own computer and asked what its pages get: the
page configuration (which lab plugins are disabled) and the notification settings' defaults. The browser
test (test_participant_lab_browser.py) checks what this looks like on screen.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import free_port

from coursekit.participant.lab_config import HIDDEN_LAB_PLUGINS, participant_environment

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_participant_environment_puts_the_folder_first_and_keeps_the_rest():
    env = participant_environment(Path("/p"), {"JUPYTER_CONFIG_PATH": "/a" + os.pathsep + "/b", "X": "1"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == ["/p", "/a", "/b"] and env["X"] == "1"
    assert participant_environment(Path("/p"), {})["JUPYTER_CONFIG_PATH"] == "/p"


@pytest.mark.slow
def test_coursekit_lab_serves_the_participant_page_config_and_quiet_notifications(tmp_path: Path):
    port, token = free_port(), secrets.token_hex(8)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
    }
    env.pop("JUPYTER_CONFIG_PATH", None)
    coursekit = Path(sys.executable).with_name("coursekit")
    args = ["--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}"]
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(
        [str(coursekit), "lab", *args, f"--ServerApp.root_dir={tmp_path}", "--allow-root"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "lab.log").read_text()
                time.sleep(0.5)
        page = urllib.request.urlopen(f"{base}/lab?token={token}", timeout=30).read().decode()
        config = json.loads(re.search(r'id="jupyter-config-data" type="application/json">(.*?)</script>', page)[1])
        disabled = config["disabledExtensions"]
        assert all(plugin in disabled for plugin in HIDDEN_LAB_PLUGINS), disabled
        assert not any("assignment-list" in p or p == "@jupyter/nbgrader:menu" for p in disabled)
        url = f"{base}/lab/api/settings/{NOTIFICATION}?token={token}"
        schema = json.loads(urllib.request.urlopen(url, timeout=30).read())["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
