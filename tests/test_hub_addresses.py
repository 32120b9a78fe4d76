"""Each participant's server and kernels listen where no other account's can (coursekit.hub.addresses).

Why: 30 servers and kernels starting at once on one machine each picked a free port of 127.0.0.1 and bound it
seconds later; the same port was handed out twice, and three of 30 participants were left without a server
or a kernel (benchmarks/bench_hub_nine.py, before this change).
"""

from __future__ import annotations

import json
import pwd
import shutil
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

from traitlets.config import PyFileConfigLoader

from coursekit.hub.addresses import (
    FIRST_UID,
    KERNEL_SOCKET_NAME,
    SERVER_PORT,
    SOCKET_PATH_MAX,
    kernel_transport_args,
    loopback_address,
)
from coursekit.hub.setup import HubSettings

REPO = Path(__file__).resolve().parents[1]


def test_every_participant_uid_gets_an_address_of_its_own_on_loopback_never_the_hubs():
    uids = [*range(FIRST_UID, FIRST_UID + 70_000), 1_000_000, 2**24 - 1]
    addresses = [loopback_address(uid) for uid in uids]
    assert len(set(addresses)) == len(uids)  # distinct uids, distinct addresses
    for address in addresses:
        first, *rest = address.split(".")
        assert first == "127" and all(0 <= int(b) <= 255 for b in rest), address
        assert address not in ("127.0.0.1", "127.0.0.53", "127.0.1.1")
    assert loopback_address(1000) == "127.0.3.232"


def test_uids_without_an_address_keep_the_default():
    assert loopback_address(0) is None and loopback_address(1) is None and loopback_address(FIRST_UID - 1) is None
    assert loopback_address(2**24) is None  # would wrap onto another uid's address


def test_kernels_use_unix_sockets_only_where_every_socket_path_fits():
    assert kernel_transport_args("/home/ana") == ["--KernelManager.transport=ipc"]
    runtime_tail = len("/.local/share/jupyter/runtime")
    longest_home = "/" + "h" * (SOCKET_PATH_MAX - KERNEL_SOCKET_NAME - runtime_tail - 1)
    assert kernel_transport_args(longest_home) == ["--KernelManager.transport=ipc"]
    assert kernel_transport_args(longest_home + "x") == []  # one byte more: TCP, as before
    # the real name jupyter_client gives the last of a kernel's five sockets
    sample = "/kernel-3cd9fb9e-5f66-4500-83d8-8839532a96d7-ipc-5"
    assert KERNEL_SOCKET_NAME == len(sample)


def spawn_hook(tmp_path: Path):
    """deploy/jupyterhub_config.py loaded as JupyterHub loads it, and its pre-spawn hook."""
    settings = HubSettings("cyber-diplomacy", "/srv/x", {}, ["p1"], "/opt/v", "/etc/j", str(tmp_path / "state"))
    (tmp_path / "hub_settings.json").write_text(json.dumps(asdict(settings)), encoding="utf-8")
    shutil.copy(REPO / "deploy" / "jupyterhub_config.py", tmp_path)
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(tmp_path)).load_config()
    return config, config.Spawner.pre_spawn_hook


def test_the_hub_starts_each_server_on_its_accounts_address_and_its_kernels_on_sockets(tmp_path, monkeypatch):
    config, hook = spawn_hook(tmp_path)
    account = SimpleNamespace(pw_uid=1234, pw_dir="/home/p1")
    monkeypatch.setattr(pwd, "getpwnam", lambda name: account)
    spawner = SimpleNamespace(user=SimpleNamespace(name="p1"), environment={}, ip="", port=0, args=config.Spawner.args)
    for _ in range(2):  # a second start (after a stop) gives the same arguments, not doubled ones
        hook(spawner)
        assert (spawner.ip, spawner.port) == (loopback_address(1234), SERVER_PORT)
        assert spawner.args == [*config.Spawner.args, "--KernelManager.transport=ipc"]


def test_a_system_account_keeps_the_hubs_defaults(tmp_path, monkeypatch):
    config, hook = spawn_hook(tmp_path)
    monkeypatch.setattr(pwd, "getpwnam", lambda name: SimpleNamespace(pw_uid=100, pw_dir="/" + "d" * 80))
    spawner = SimpleNamespace(user=SimpleNamespace(name="p1"), environment={}, ip="", port=0, args=config.Spawner.args)
    hook(spawner)
    assert (spawner.ip, spawner.port) == ("", 0) and spawner.args == config.Spawner.args
