"""Notebook kernels forked from one warm process, for the book build.

Why (issue 17): profiling the cold book build showed each of the 13 topic notebooks paying about 1 s to
start a Python kernel (importing ipykernel, IPython, zmq, tornado) and 1-1.5 s to import numpy, pandas and
matplotlib in its first cell: about half the CPU time of all notebook execution, spent 13 times on the
same work. Here one *zygote* process does those imports once and forks a fresh kernel for each notebook.
Each kernel is still a process of its own, started clean: nothing runs in the zygote but imports, so no
notebook sees another's variables, and the same IPython kernel class runs each notebook's cells.

What the zygote must not import: ``matplotlib.pyplot`` and ``matplotlib_inline``. The inline backend hooks
itself into the IPython shell when it is imported, and the shell exists only in the forked kernel; so
pyplot is imported there, as in any kernel. ``MPLBACKEND`` is set before matplotlib is imported, as
ipykernel does, so the backend matplotlib picks is the same.

Pieces:

- ``python -m coursekit.book.kernel_fork serve SOCKET``: the zygote; forks a kernel per request on a Unix socket.
- ``python kernel_launch.py SOCKET [kernel args]`` (:mod:`coursekit.book.kernel_launch`): what jupyter_client starts
  as "the kernel" (see :class:`ForkingKernelManager`): asks the zygote for a kernel with its own working folder, environment
  and arguments, passes on interrupts and termination, and exits when the kernel does. The kernel in turn
  exits when this launcher dies (killed by jupyter_client), so no kernel outlives its manager.
- :class:`Zygote`: starts and stops the zygote for a build (see :class:`coursekit.book.build.NotebookRunner`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

#: Modules every topic notebook's kernel imports, loaded once in the zygote (see the module docstring for
#: what must not be in this list).
WARM_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PYTHON_KERNELS = ("python3", "python")


def _receive(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)  # the same few lines as in kernel_launch.py, which imports nothing of ours


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs: a killed launcher its manager has not reaped yet (a zombie) does not."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the system
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _run_kernel(request: dict[str, Any]) -> None:
    """In the forked child: become a kernel for ``request`` (argv, cwd, env, launcher pid); never returns."""
    import random
    import threading

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.argv = [sys.argv[0], *request["argv"]]
    random.seed()  # fresh randomness, as in a new process
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()

    launcher = request["launcher"]

    def exit_with_launcher() -> None:
        while True:
            time.sleep(0.2)
            if not _alive(launcher):
                os._exit(1)

    threading.Thread(target=exit_with_launcher, daemon=True).start()
    # ipykernel reads JPY_PARENT_PID when it is imported, which was in the zygote: pass it on explicitly
    parent = request["env"].get("JPY_PARENT_PID")
    argv = [*request["argv"], *([f"--IPKernelApp.parent_handle={int(parent)}"] if parent else [])]
    status = 0
    try:
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)  # skip tearing down the interpreter: every output has been sent


def serve(socket_path: str) -> None:
    """The zygote: import :data:`WARM_MODULES`, then fork a kernel for each request on ``socket_path``."""
    import importlib

    # ``python -m`` put the zygote's working folder first on sys.path; ipykernel_launcher's kernels do not
    # have it (nor the notebook's folder), so neither do the forked kernels
    sys.path.pop(0)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for module in WARM_MODULES:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path + ".tmp")
    server.listen(16)
    os.rename(socket_path + ".tmp", socket_path)  # the socket appears only once the zygote is ready
    while True:
        conn, _ = server.accept()
        with conn:
            request = json.loads(_receive(conn))
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _run_kernel(request)
            conn.sendall(str(pid).encode())


class ForkingKernelManager(AsyncKernelManager):
    """A kernel manager whose Python kernels are forked by the zygote at :attr:`socket_path` (other kernels
    start as usual). Subclassed per zygote by :meth:`Zygote.manager_class`."""

    socket_path = ""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        if self.kernel_name not in PYTHON_KERNELS or not self.socket_path:
            return super().format_kernel_cmd(extra_arguments)
        # run by path, isolated: the launcher needs only the standard library, and importing coursekit or
        # jupyter_client here would cost more than the fork saves
        return [
            sys.executable,
            "-I",
            "-S",
            str(Path(__file__).with_name("kernel_launch.py")),
            self.socket_path,
            "-f",
            os.path.realpath(self.connection_file),
            *(extra_arguments or []),
        ]


class Zygote:
    """The zygote process of one build: started at once (its imports overlap other work), stopped with every
    kernel it forked."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="coursekit-kernels-")
        self.socket_path = str(Path(self.folder) / "zygote.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coursekit.book.kernel_fork", "serve", self.socket_path],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def manager_class(self) -> type[ForkingKernelManager]:
        """A kernel manager class bound to this zygote (nbclient takes a class, not an instance)."""
        return type("BoundForkingKernelManager", (ForkingKernelManager,), {"socket_path": self.socket_path})

    def close(self) -> None:
        """Stop the zygote and any kernel still running (they share its process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        for leftover in Path(self.folder).glob("*"):
            leftover.unlink()
        os.rmdir(self.folder)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "serve":
        serve(args[1])
        return 0
    print("usage: python -m coursekit.book.kernel_fork serve SOCKET", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
