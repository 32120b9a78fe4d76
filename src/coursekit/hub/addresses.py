"""Each account's own loopback address for its Jupyter server and kernels, so 30 servers can start at once.

Why: on one machine every single-user server and every kernel listens on 127.0.0.1. JupyterHub picks a
server's port by binding port 0 and closing it again (``jupyterhub.utils.random_port``), and jupyter_client
does the same for a kernel's five ports; the server or kernel binds it seconds later. When 30 participants
log in at nine o'clock, a loaded machine takes 20 s or more to get there, and in that gap the same free port
is handed out again: measured with 30 logins at once (benchmarks/bench_hub_nine.py), one server found its port
taken (the hub then talked to another participant's server and the participant got a 404) and kernels died
with "Address already in use", leaving two more participants without a kernel.

So no account's server or kernel needs a free TCP port of 127.0.0.1:

* Linux routes the whole of 127.0.0.0/8 to the loopback interface, so each account gets its own address there,
  derived from its uid, and its server listens on a fixed port of it (``Spawner.ip``/``Spawner.port``,
  JupyterHub's setting for "each server on a different address"). Who may connect is unchanged: loopback
  only, the server behind the hub's login.
* Kernels talk to their server over Unix sockets in the account's private runtime folder (jupyter_client's
  ``KernelManager.transport = "ipc"``; jupyter_client accepts no loopback address but 127.0.0.1 for TCP), which
  only the account can even reach. A socket's path is limited to 107 bytes, so an account whose home folder
  is too long for it keeps TCP.
"""

from __future__ import annotations

#: the port every account's server listens on, on its own address; below Linux's ephemeral range
#: (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999) so no port-0 bind ever takes it first
SERVER_PORT = 8890
#: the longest path of a Unix socket (sun_path holds 108 bytes with the final NUL)
SOCKET_PATH_MAX = 107
#: what jupyter_client adds to the runtime folder for a kernel's last socket: /kernel-<uuid4>-ipc-5
KERNEL_SOCKET_NAME = len("/kernel-00000000-0000-0000-0000-000000000000-ipc-5")
#: uids below this keep 127.0.0.1: system accounts (Debian's useradd starts people at 1000), whose addresses
#: would run into ones the system uses (127.0.0.1 the hub and proxy, 127.0.0.53 a resolver, 127.0.1.1 the host)
FIRST_UID = 1000


def loopback_address(uid: int) -> str | None:
    """127.a.b.c for ``uid`` (a, b, c its three low bytes), or None for a uid with no address of its own.

    Distinct uids below 2**24 get distinct addresses, none of them 127.0.0.1 (the hub and proxy).
    """
    if uid < FIRST_UID or uid >= 2**24:
        return None
    return f"127.{uid >> 16 & 255}.{uid >> 8 & 255}.{uid & 255}"


def kernel_transport_args(home: str) -> list[str]:
    """Server arguments that put the account's kernels on Unix sockets, if their paths fit; else none (TCP).

    ``home`` is the account's home folder: kernels' sockets go in Jupyter's runtime folder inside it.
    """
    runtime = f"{home.rstrip('/')}/.local/share/jupyter/runtime"
    if len(runtime.encode()) + KERNEL_SOCKET_NAME > SOCKET_PATH_MAX:
        return []
    return ["--KernelManager.transport=ipc"]
