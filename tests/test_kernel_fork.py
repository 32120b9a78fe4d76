"""Kernels forked from the warm zygote (coursekit.book.kernel_fork) behave like kernels started one by one:
same outputs (figures included), their own folder, fresh randomness, and none outlives its launcher."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import nbformat
import pytest

from coursekit.book.build import _execute_one
from coursekit.book.kernel_fork import Zygote

CELLS = [
    "import os, sys\nprint(os.getcwd() in sys.path, os.path.basename(os.getcwd()), sys.path[:2])",
    "print(os.environ.get('COURSEKIT_FORK_TEST'))",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\nax.bar(['a', 'b'], [1, 2])\nax.set_title('t')",
    "import pandas as pd\npd.DataFrame({'x': [1, 2]})",
    "print(1 / 0 if False else 'ok')",
]


pytestmark = pytest.mark.slow  # kernels, forked and started alone


def _notebook(folder: Path) -> Path:
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src, id=f"c{n}") for n, src in enumerate(CELLS)]
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _outputs(path: Path, kernel_manager_class: type | None = None) -> list:
    """The outputs of every cell, run the way the book's runner runs a notebook."""
    nb, _ = _execute_one(path, timeout=60, allow_errors=False, kernel_manager_class=kernel_manager_class)
    assert nb is not None, "the notebook failed"
    return [cell.outputs for cell in nb.cells]


@pytest.fixture
def zygote():
    z = Zygote()
    yield z
    z.close()


def test_a_forked_kernel_gives_the_same_outputs_as_a_kernel_started_alone(
    tmp_path: Path, zygote: Zygote, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("COURSEKIT_FORK_TEST", "passed on")
    path = _notebook(tmp_path / "topic-folder")
    forked = _outputs(path, kernel_manager_class=zygote.manager_class())
    alone = _outputs(path)
    assert forked == alone
    assert forked[0][0]["text"].startswith("False topic-folder "), "the kernel runs in the notebook's folder"
    assert forked[1][0]["text"] == "passed on\n", "the kernel has the environment of the one who asked"
    assert any("image/png" in out.get("data", {}) for out in forked[2]), "the inline backend shows the figure"


def _kernel_probe(zygote: Zygote, code: str) -> tuple[str, object, object]:
    import asyncio

    async def run() -> tuple[str, object, object]:
        km = zygote.manager_class()(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        printed: list[str] = []
        await kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda msg: (
                printed.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None
            ),
        )
        kc.stop_channels()
        return "".join(printed), km, km.provisioner.process  # type: ignore[union-attr]

    return asyncio.run(run())


def test_forked_kernels_start_with_pandas_loaded_but_not_pyplot_and_draw_their_own_random_numbers(zygote: Zygote):
    code = "import sys, random\nprint('pandas' in sys.modules, 'matplotlib.pyplot' in sys.modules, random.random())"
    first, km1, launcher1 = _kernel_probe(zygote, code)
    second, km2, launcher2 = _kernel_probe(zygote, code)
    for launcher in (launcher1, launcher2):
        launcher.kill()
    assert first.split()[:2] == ["True", "False"], first
    assert first.split()[2] != second.split()[2], "each kernel reseeds its random generator"


def test_a_kernel_exits_when_its_launcher_is_killed(zygote: Zygote):
    printed, km, launcher = _kernel_probe(zygote, "import os\nprint(os.getpid())")
    kernel_pid = int(printed)
    assert kernel_pid != launcher.pid, "the kernel is the zygote's child, not the launcher"
    launcher.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("the forked kernel outlived its launcher")
