"""The launcher jupyter_client starts as a notebook's kernel in the book build (see :mod:`coursekit.book.kernel_fork`).

``python -I -S kernel_launch.py SOCKET [kernel arguments]`` asks the zygote listening on SOCKET to fork a kernel
with this process's working folder, environment and arguments, passes interrupts and termination on to it,
and exits when it does. Run by path with the standard library only: it starts in a few hundredths of a
second, which is the point.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from typing import Any


def _receive(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def launch(socket_path: str, argv: list[str], wait: float = 120.0) -> int:
    """The launcher jupyter_client runs as the kernel: get a forked kernel, forward signals, wait for it."""
    deadline = time.monotonic() + wait
    while not os.path.exists(socket_path):
        if time.monotonic() > deadline:
            print(f"coursekit.book.kernel_fork: no zygote at {socket_path}", file=sys.stderr)
            return 1
        time.sleep(0.02)
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "launcher": os.getpid()}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(socket_path)
        conn.sendall(json.dumps(request).encode())
        conn.shutdown(socket.SHUT_WR)
        pid = int(_receive(conn))

    def forward(signum: int, frame: Any) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 0
        time.sleep(0.05)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: python kernel_launch.py SOCKET [kernel arguments]", file=sys.stderr)
        sys.exit(2)
    sys.exit(launch(sys.argv[1], sys.argv[2:]))
