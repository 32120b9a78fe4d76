"""Upstream-drift tests: each fails the day a third-party package stops doing what coursekit relies on.

coursekit extends nbgrader, nbconvert, jupyter_client, jupyter-cache and Sphinx through their extension
points where they have one. Where they have none (see each module's docstring), coursekit rebinds a name
the package looks up at call time, or calls a function outside its documented API; such a patch fails
silently when the package changes (the name is no longer looked up, the function moved), and grading or the
book just gets slower or wrong. These tests assert the upstream behaviour itself, not only the end result,
and their messages say what to re-check on an upgrade. They import the packages but start no kernel,
nbgrader app, Sphinx build or server.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

UPGRADE = "an upgrade changed what coursekit relies on: re-read {where} and adjust {ours}"


def _counting(calls: list, original: Any) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    return counted


# --- nbgrader: coursekit.grading.nbgrader_speed.fast_nbgrader --------------------------------------------


@pytest.fixture(autouse=True)
def _no_alembic_process(monkeypatch):
    """A new gradebook asks the ``alembic`` command for its schema version (a process): not needed here."""
    import nbgrader.api as api

    monkeypatch.setattr(api, "get_alembic_version", lambda: "test")


def test_nbgrader_gradebook_looks_up_the_names_fast_nbgrader_rebinds(tmp_path: Path, monkeypatch):
    """Gradebook.__init__ must reach create_engine, inspect, Base.metadata.create_all and check_course through
    names fast_nbgrader can rebind; otherwise every gradebook opens a new engine again, silently."""
    import nbgrader.api as api

    calls: dict[str, list] = {"create_engine": [], "inspect": [], "create_all": [], "check_course": []}
    monkeypatch.setattr(api, "create_engine", _counting(calls["create_engine"], api.create_engine))
    monkeypatch.setattr(api, "inspect", _counting(calls["inspect"], api.inspect))
    monkeypatch.setattr(api.Base.metadata, "create_all", _counting(calls["create_all"], api.Base.metadata.create_all))
    monkeypatch.setattr(api.Gradebook, "check_course", _counting(calls["check_course"], api.Gradebook.check_course))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with api.Gradebook(url, "course101"):
        pass
    where, ours = "nbgrader/api.py (Gradebook.__init__)", "coursekit/grading/nbgrader_speed.py"
    message = UPGRADE.format(where=where, ours=ours)
    assert [str(args[0]) for args, _ in calls["create_engine"]] == [url], message
    assert len(calls["inspect"]) == 1, message
    assert [kwargs.get("bind", args[0] if args else None) for args, kwargs in calls["create_all"]] == [
        calls["inspect"][0][0][0]
    ], message
    assert [kwargs.get("course_id") for _, kwargs in calls["check_course"]] == ["course101"], message


def test_nbgrader_gradebook_asks_inspect_only_for_table_names(tmp_path: Path, monkeypatch):
    """fast_nbgrader's stand-in for ``inspect(engine)`` answers only ``get_table_names()``."""
    import nbgrader.api as api
    from sqlalchemy import inspect as real_inspect

    class OnlyTableNames:
        def __init__(self, engine: Any) -> None:
            self.engine = engine

        def get_table_names(self) -> list[str]:
            return real_inspect(self.engine).get_table_names()

    monkeypatch.setattr(api, "inspect", OnlyTableNames)
    with api.Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "course101") as gb:
        assert gb.check_course("course101").id == "course101"


def test_nbgrader_check_course_keeps_the_signature_fast_nbgrader_wraps():
    import nbgrader.api as api

    params = inspect.signature(api.Gradebook.check_course).parameters
    assert list(params)[:2] == ["self", "course_id"] and params["course_id"].default == "default_course", (
        UPGRADE.format(
            where="nbgrader.api.Gradebook.check_course", ours="check_course_once in coursekit/grading/nbgrader_speed.py"
        )
    )
    assert any(p.kind is p.VAR_KEYWORD for p in params.values())


def test_fast_nbgrader_shares_one_engine_and_checks_tables_and_course_once(tmp_path: Path, monkeypatch):
    """The effect of the rebinding, measured on nbgrader's real Gradebook: five gradebooks, one engine,
    one table creation, one course check."""
    import nbgrader.api as api

    from coursekit.grading.nbgrader_speed import fast_nbgrader

    created: list = []
    checked: list = []
    monkeypatch.setattr(api.Base.metadata, "create_all", _counting(created, api.Base.metadata.create_all))
    monkeypatch.setattr(api.Gradebook, "check_course", _counting(checked, api.Gradebook.check_course))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with fast_nbgrader():
        gradebooks = [api.Gradebook(url, "course101") for _ in range(5)]
        engines = {id(gb.engine) for gb in gradebooks}
        for gb in gradebooks:
            gb.db.remove()
    assert len(engines) == 1, "nbgrader opened a new engine per Gradebook: fast_nbgrader no longer applies"
    assert len(created) == 1 and len(checked) == 1, (created, checked)
    assert api.create_engine.__module__.startswith("sqlalchemy"), "fast_nbgrader restores create_engine"
    with api.Gradebook(url, "course101") as gb:  # the same database, read the ordinary way afterwards
        assert gb.db.query(api.Course).filter_by(id="course101").count() == 1


def test_nbgrader_validates_cell_metadata_through_its_module_global_jsonschema(monkeypatch):
    """fast_nbgrader replaces ``nbgrader.nbgraderformat.common.jsonschema``: nbgrader must still call
    ``jsonschema.validate(metadata, schema)`` through that global."""
    import nbformat.v4
    import nbgrader.nbgraderformat.common as formats
    from nbgrader.nbgraderformat import MetadataValidator

    seen: list = []

    class Recording:
        ValidationError = formats.jsonschema.ValidationError

        @staticmethod
        def validate(instance: Any, schema: dict) -> None:
            seen.append((instance, schema))

    monkeypatch.setattr(formats, "jsonschema", Recording)
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {
        "grade": False,
        "solution": True,
        "locked": False,
        "task": False,
        "grade_id": "q1",
        "schema_version": 3,
    }
    MetadataValidator().validate_cell(cell)
    assert seen and seen[0][0]["grade_id"] == "q1" and isinstance(seen[0][1], dict), UPGRADE.format(
        where="nbgrader/nbgraderformat/common.py (validate_cell)", ours="CachedJsonschema in nbgrader_speed.py"
    )


def test_fast_nbgrader_rejects_bad_cell_metadata_with_nbgraders_own_error():
    import nbformat.v4
    from jsonschema import ValidationError
    from nbgrader.nbgraderformat import MetadataValidator

    from coursekit.grading.nbgrader_speed import fast_nbgrader

    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {"grade": "yes", "solution": True, "locked": False, "task": False,
                                 "grade_id": "q1", "schema_version": 3}  # fmt: skip
    with pytest.raises(ValidationError) as stock:
        MetadataValidator().validate_cell(cell)
    with fast_nbgrader(), pytest.raises(ValidationError) as fast:
        MetadataValidator().validate_cell(cell)
    assert fast.value.message == stock.value.message


# --- nbconvert: validation once per notebook, by configuration -------------------------------------------


def test_the_course_turns_on_nbconverts_optimistic_validation_and_nbconvert_honours_it(monkeypatch):
    """``c.Exporter.optimistic_validation`` (nbgrader_config.py) must reach nbgrader's exporters and make
    nbconvert validate a notebook once after its preprocessors, not after each."""
    import nbformat.v4
    from nbconvert.exporters import NotebookExporter
    from nbconvert.exporters.exporter import Exporter
    from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor
    from traitlets.config.loader import PyFileConfigLoader

    assert "optimistic_validation" in Exporter.class_trait_names(), UPGRADE.format(
        where="nbconvert's Exporter", ours="nbgrader_config.py (c.Exporter.optimistic_validation)"
    )
    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    assert config.Exporter.optimistic_validation is True
    checks: list = []
    monkeypatch.setattr(Exporter, "_validate_preprocessor", lambda self, nb, pre: checks.append(pre))
    exporter = NotebookExporter(config=config)
    for pre in (ClearOutputPreprocessor, ClearMetadataPreprocessor, ClearOutputPreprocessor):
        exporter.register_preprocessor(pre, enabled=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    assert len(checks) == 1, f"nbconvert validated {len(checks)} times for three preprocessors"


# --- nbgrader: the course's exchange classes ---------------------------------------------------------------


def test_nbgrader_collect_still_runs_the_steps_course_collect_replaces(tmp_path: Path, monkeypatch):
    """CourseCollect (ExchangeFactory.collect) overrides the exchange's documented steps init_src, init_dest and
    copy_files; nbgrader's ``start`` must still run exactly those, in that order."""
    from nbgrader.coursedir import CourseDirectory

    from coursekit.hub.exchange import CourseCollect

    steps: list[str] = []
    for name in ("init_src", "init_dest", "copy_files"):
        assert name in vars(CourseCollect), f"CourseCollect no longer overrides {name}"
        monkeypatch.setattr(CourseCollect, name, lambda self, name=name: steps.append(name))
    coursedir = CourseDirectory(root=str(tmp_path), course_id="course101", assignment_id="01-introduction")
    (tmp_path / "exchange").mkdir(mode=0o777)
    (tmp_path / "exchange").chmod(0o1777)  # what nbgrader asks of an exchange root
    collector = CourseCollect(coursedir=coursedir, root=str(tmp_path / "exchange"))
    collector.start()
    assert steps == ["init_src", "init_dest", "copy_files"], UPGRADE.format(
        where="nbgrader/exchange/abc/exchange.py (Exchange.start)", ours="CourseCollect in coursekit/hub/exchange.py"
    )


# --- jupyter_client: the book's forked kernels -----------------------------------------------------------


def test_jupyter_client_builds_the_kernel_command_with_format_kernel_cmd(tmp_path: Path):
    """ForkingKernelManager overrides the kernel manager's public ``format_kernel_cmd``: jupyter_client's local
    provisioner must still take the command it launches from it (here: the zygote's launcher)."""
    import asyncio

    import coursekit.book.kernel_fork as kernel_fork

    bound = type("Bound", (kernel_fork.ForkingKernelManager,), {"socket_path": str(tmp_path / "zygote.sock")})
    km = bound(kernel_name="python3", connection_file=str(tmp_path / "kernel.json"))
    try:
        cmd, _ = asyncio.run(km.pre_start_kernel())
    finally:
        km.cleanup_connection_file()
    launcher = str(Path(kernel_fork.__file__).with_name("kernel_launch.py"))
    assert cmd[:5] == [sys.executable, "-I", "-S", launcher, str(tmp_path / "zygote.sock")], UPGRADE.format(
        where="jupyter_client/provisioning/local_provisioner.py (pre_launch)", ours="coursekit/book/kernel_fork.py"
    )


# --- nbclient and jupyter-cache: the book's own notebook runner ----------------------------------------------


def test_nbclient_execute_takes_what_the_book_runner_passes():
    """coursekit.book.build runs notebooks with nbclient's ``execute``, passing the kernel manager class and the
    immediate shutdown on to its NotebookClient."""
    from nbclient import NotebookClient, execute

    params = inspect.signature(execute).parameters
    message = UPGRADE.format(where="nbclient/client.py (execute)", ours="_execute_one in coursekit/book/build.py")
    assert "cwd" in params and any(p.kind is p.VAR_KEYWORD for p in params.values()), message
    traits = NotebookClient.class_traits()
    assert {"kernel_manager_class", "shutdown_kernel", "timeout", "allow_errors", "record_timing"} <= set(traits), (
        message
    )
    assert "immediate" in traits["shutdown_kernel"].values, message


def test_jupyter_cache_offers_the_calls_the_book_runner_fills_it_with():
    """The runner stores what it executed through jupyter-cache's public cache API, where myst-nb finds it."""
    from jupyter_cache.base import CacheBundleIn, JupyterCacheAbstract

    message = UPGRADE.format(where="jupyter_cache/base.py", ours="NotebookRunner in coursekit/book/build.py")
    for method, needed in {
        "match_cache_notebook": {"nb"},
        "add_nb_to_project": {"uri"},
        "cache_notebook_bundle": {"bundle", "check_validity", "overwrite"},
    }.items():
        assert needed <= set(inspect.signature(getattr(JupyterCacheAbstract, method)).parameters), (method, message)
    assert {"nb", "uri", "data"} <= set(inspect.signature(CacheBundleIn).parameters), message


# --- Jupyter Book and Sphinx: the book's Sphinx build ----------------------------------------------------------


def test_jupyter_book_config_sphinx_writes_the_settings_jupyter_book_build_uses(tmp_path: Path):
    """The book is built by ``sphinx-build`` from the ``conf.py`` that ``jupyter-book config sphinx`` writes
    (coursekit.book.sphinx_build): it must hold exactly what ``jupyter-book build`` hands Sphinx."""
    import shutil

    from jupyter_book.config import get_final_config

    from coursekit.book.sphinx_build import write_sphinx_conf

    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    conf: dict[str, Any] = {}
    exec(write_sphinx_conf(tmp_path).read_text(encoding="utf-8"), conf)
    written = {k: v for k, v in conf.items() if not k.startswith("__")}
    # what `jupyter-book build` passes (jupyter_book/cli/main.py: build -> build_sphinx -> get_final_config)
    expected, _ = get_final_config(
        user_yaml=tmp_path / "_config.yml",
        cli_config={"external_toc_path": "_toc.yml", "latex_individualpages": False},
        sourcedir=tmp_path,
        use_external_toc=True,
    )
    assert written == expected, UPGRADE.format(
        where="jupyter_book/cli/main.py (config sphinx, build)", ours="coursekit/book/sphinx_build.py"
    )
    assert "coursekit.book.sphinx_speed" in written["extensions"]
