"""The one-machine hub configuration declares the tabletop service exactly as the tests' hubs do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from traitlets.config import PyFileConfigLoader

from coursekit.hub.setup import HubSettings, build_parser
from coursekit.hub.tabletop_service import hub_settings

REPO = Path(__file__).resolve().parents[1]


def test_deploy_config_declares_the_service_with_roles_and_its_own_state(tmp_path):
    settings = HubSettings(
        "cyber-diplomacy",
        "/srv/x",
        {"ana": "/home/ana/c"},
        ["p1"],
        "/opt/v",
        "/etc/j",
        str(tmp_path / "state"),
        tabletop_port=8099,
        course="/etc/c/course",
    )
    from dataclasses import asdict

    (tmp_path / "hub_settings.json").write_text(json.dumps(asdict(settings)), encoding="utf-8")
    shutil.copy(REPO / "deploy" / "jupyterhub_config.py", tmp_path)
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path)).load_config()
    expected = hub_settings(
        python="/opt/v/bin/python",
        port=8099,
        db_url=f"sqlite:///{tmp_path / 'state' / 'tabletop.sqlite'}",
        instructors=["ana"],
        course="/etc/c/course",
    )
    for key, value in expected.items():
        assert config.JupyterHub[key] == value, key
    # only the instructors group gets the facilitator scope; every user may reach the service
    (facilitator,) = [r for r in config.JupyterHub.load_roles if "custom:tabletop:facilitate" in r["scopes"]]
    assert facilitator["groups"] == ["instructors"] and "users" not in facilitator
    assert config.JupyterHub.load_groups["instructors"]["users"] == ["ana"]


def test_setup_takes_the_service_port():
    args = build_parser().parse_args(["--roster", "r.csv", "--instructor", "ana", "--tabletop-port", "9000"])
    assert args.tabletop_port == 9000
