"""The book's notebooks run side by side before Sphinx reads them, into the cache myst-nb reads.

Real kernels, tiny notebooks: what is checked is what myst-nb relies on, namely that each executed notebook is
found in the cache by its code, with the outputs of a run in its own folder, and that a failing notebook is
left out of the cache (so myst-nb runs it again and reports the error itself).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache

from coursekit.book.build import execute_notebooks


def notebook(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / f"{folder.name}.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def stdout_of(cached: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cached.cells[0].outputs if o.output_type == "stream")


@pytest.mark.slow
def test_notebooks_run_in_their_own_folder_and_land_in_the_cache(tmp_path: Path):
    paths = [notebook(tmp_path / name, f"import os; print(os.getcwd())  # {name}") for name in ("one", "two")]
    cache_path = tmp_path / "cache"
    assert execute_notebooks(paths, cache_path, timeout=60, jobs=2) == 2
    cache = get_cache(str(cache_path))
    for path in paths:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))  # KeyError if not cached
        cached = cache.get_cache_bundle(record.pk).nb
        assert Path(stdout_of(cached).strip()).resolve() == path.parent.resolve()
    assert execute_notebooks(paths, cache_path, timeout=60, jobs=2) == 0, "cached notebooks are not run again"


@pytest.mark.slow
def test_a_failing_notebook_is_not_cached(tmp_path: Path):
    good = notebook(tmp_path / "good", "print(6 * 7)")
    bad = notebook(tmp_path / "bad", "raise RuntimeError('broken on purpose')")
    cache_path = tmp_path / "cache"
    assert execute_notebooks([good, bad], cache_path, timeout=60, jobs=2) == 1
    cache = get_cache(str(cache_path))
    assert (
        stdout_of(cache.get_cache_bundle(cache.match_cache_notebook(nbformat.read(good, as_version=4)).pk).nb) == "42\n"
    )
    try:
        cache.match_cache_notebook(nbformat.read(bad, as_version=4))
    except KeyError:
        pass
    else:
        raise AssertionError("a notebook that failed was cached")


def test_one_job_leaves_execution_to_myst_nb(tmp_path: Path):
    paths = [notebook(tmp_path / name, f"print({name!r})") for name in ("one", "two")]
    assert execute_notebooks(paths, tmp_path / "cache", timeout=60, jobs=1) == 0
    assert not get_cache(str(tmp_path / "cache")).list_cache_records()
