"""Compile the book from exactly what participants receive.

``coursekit book`` first builds the participant release (which refuses any notebook that leaks a key),
then stages a Jupyter Book source tree in ``_build/book-src`` that mirrors the repository: ``book/`` pages,
and ``release/<topic>/<notebook>.ipynb`` copied from the release, so launch buttons open the same paths
in Binder. Generated pages (outcomes matrix, data appendix, glossary, bibliography) are written there too.
Files are only rewritten when their content changes, so Sphinx and jupyter-cache rebuild only what
changed. Notebooks jupyter-cache has no outputs for are executed side by side before Sphinx starts, in
kernels forked from one warm process (see :class:`NotebookRunner`); Sphinx then reads and writes pages in
parallel (:mod:`coursekit.book.sphinx_build`). The build runs with warnings as errors and stops on any notebook
error, and prints how long each phase took.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import nbformat

from ..analysis.assessment import outcome_totals
from ..core.exercises import Exercise
from ..core.glossary import GLOSSARY_LINK, glossary_entries, glossary_terms, slug_of, term_of
from ..core.settings import settings
from ..grading.authoring import GRADED_HERE
from ..grading.course import Course, CourseError
from ..grading.plans import load_plan, plan_path
from ..render.book_html import STATIC_FILES, static_text
from .references import further_resources_markdown

if TYPE_CHECKING:
    from .kernel_fork import Zygote


def glossary_links_to_roles(markdown: str, terms: dict[str, str] | None = None) -> str:
    """Turn ``[text](glossary:slug)`` into MyST ``{term}`` roles for the book; ``terms`` maps slugs to the
    glossary's own spelling of each term (see :func:`glossary_terms`)."""

    def role(m: re.Match) -> str:
        return f"{{term}}`{m.group(1)} <{(terms or {}).get(m.group(2), term_of(m.group(2)))}>`"

    return GLOSSARY_LINK.sub(role, markdown)


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def library_stamp(course_root: Path | None = None) -> str:
    """A short hash of coursekit's own code and data (not ``static/``, which Sphinx copies on every build), and
    of the course's content files under ``course_root`` (``course.toml``, each topic's YAML data files).

    Why: jupyter-cache re-executes a notebook only when its code changes, but what a topic page shows also
    depends on coursekit (an interactive's book walkthrough) and on the course's data (a caption, a milestone).
    The stamp goes into each staged notebook's first code cell, so a change to either re-runs the notebooks.
    """
    import hashlib

    package = Path(__file__).resolve().parents[1]  # coursekit/, whatever sub-package this module is in
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if (
            path.is_file() and "__pycache__" not in path.parts and "static" not in path.parts
        ):  # static: Sphinx copies it
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    content = [course_root / "course.toml", *sorted(course_root.glob("notebooks/*/*.yaml"))] if course_root else []
    for path in (p for p in content if p.is_file()):
        digest.update(path.relative_to(course_root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


#: Calls that read the participant's own saved answers. The book has none, so their output there ("nothing
#: written yet", "no entries found; run this cell again") would pretend to work: the book shows a note instead.
KERNEL_ONLY_CALLS = ("strategy_portfolio.log_entries(", "strategy_portfolio.saved_structure_report(")
KERNEL_ONLY_NOTE = (
    "*In JupyterLab, the cell here reads what you have saved in your answers file and shows it. "
    "The book cannot read your answers: open this topic's notebook to see yours.*"
)


def book_notebook(released: Path, glossary_url: str, stamp: str = "", terms: dict[str, str] | None = None) -> str:
    """A released notebook prepared for the book: glossary links become glossary roles, code is hidden,
    the first code cell carries the library ``stamp`` (see :func:`library_stamp`), and the page ends with
    further resources for practitioners (:data:`coursekit.book.references.FURTHER_RESOURCES`)."""
    nb = nbformat.read(released, as_version=4)
    first_code = next((c for c in nb.cells if c.cell_type == "code" and c.source.strip()), None)
    if first_code is not None and stamp:
        first_code.source = f"# book built with coursekit {stamp}\n" + first_code.source
    published = re.compile(r"\[([^\]]+)\]\(" + re.escape(glossary_url) + r"#term-([A-Za-z0-9._-]+)\)")
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and any(call in cell.source for call in KERNEL_ONLY_CALLS):
            cell.metadata["tags"] = sorted(set(cell.metadata.get("tags", [])) | {"remove-output"})
            cells.append(
                nbformat.v4.new_markdown_cell(KERNEL_ONLY_NOTE, id=f"book-note-{len(cells)}")
            )  # stable id: no rebuild
    nb.cells = cells
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = published.sub(lambda m: f"[{m.group(1)}](glossary:{slug_of(m.group(2))})", cell.source)
            cell.source = glossary_links_to_roles(cell.source, terms)
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            tags.add("remove-input")
            if cell.source.strip() in ("", GRADED_HERE):
                tags.add("remove-cell")  # a test cell emptied by the release, which labels it for JupyterLab
            cell.metadata["tags"] = sorted(tags)
    nb.cells.append(nbformat.v4.new_markdown_cell(further_resources_markdown(), id="book-further-resources"))
    return nbformat.writes(nb) + "\n"


def outcomes_matrix(course: Course) -> str:
    """The outcomes page: totals per outcome, then every exercise with topic, type, mode, demand, points, outcomes."""
    rows: list[str] = []
    everything: list[Exercise] = []
    for topic in course.topics():
        plan = load_plan(course.source_notebook(topic))
        for exercise in plan.all_exercises.values():
            everything.append(exercise)
            rows.append(
                f"| {topic} | `{exercise.id}` | {exercise.kind} | {exercise.mode} | {exercise.demand or '-'} | "
                f"{exercise.points:g} | {', '.join(exercise.outcomes)} |"
            )
    total_rows = [
        f"| {lo} | {t.exercises} | {t.points:g} | {t.graded} | {t.graded_points:g} | {t.decide_or_produce} |"
        for lo, t in outcome_totals(everything).items()
    ]
    return "\n".join(
        [
            "# Outcomes matrix",
            "",
            "Every exercise of the course, with the learning outcomes it serves. This page is generated from the",
            "exercise definitions in the notebooks each time the book is built, so it cannot drift from them.",
            "",
            "## Totals per learning outcome",
            "",
            "*Graded items* are those that count towards the grade; the last column counts the graded items that ask",
            "the participant to decide what to do in a situation or to produce a plan, strategy or argument of their",
            "own, rather than to recall a fact.",
            "",
            "| Outcome | Exercises | Points | Graded items | Graded points | Graded items asking for a decision or product |",
            "|---|---|---|---|---|---|",
            *total_rows,
            "",
            "## All exercises",
            "",
            "| Topic | Exercise | Type | Mode | Demand | Points | Outcomes |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def outcomes_key(course: Course, stamp: str) -> str:
    """What the outcomes page is made from: every topic's compiled plan and coursekit's code (``stamp``).

    Why: with the same key the page staged last time is still right, and no plan is read again.
    """
    import hashlib

    digest = hashlib.sha256(stamp.encode())
    for topic in course.topics():
        digest.update(b"\0" + topic.encode() + b"\0" + plan_path(course.source_notebook(topic)).read_bytes())
    return digest.hexdigest()


PREVIEW_ROWS = 5


def _md_cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _sources_and_licences(package: dict) -> list[str]:
    lines = ["## Sources", ""]
    for s in package.get("sources", []):
        lines.append(f"- [{s['title']}]({s['path']})" if s.get("path") else f"- {s['title']}")
    lines += ["", "## Licences", ""]
    for lic in package.get("licenses", []):
        title = lic.get("title", lic.get("name", ""))
        lines.append(f"- [{title}]({lic['path']})" if lic.get("path") else f"- {title}")
    return lines + [""]


def data_appendix() -> str:
    """The data appendix: what the course's data package holds, with a page per data set (see :func:`data_pages`)."""
    from ..data import datasets

    package = datasets.package()
    lines = [
        "# Data appendix",
        "",
        package.get("description", ""),
        "",
        "Each data set has a page of its own, with its fields, a preview and the CSV file to download:",
        "",
    ]
    for resource in package["resources"]:
        lines.append(
            f"- [{resource.get('title', resource['name'])}](data/{resource['name']}.md) (`{resource['name']}`)"
        )
    lines += ["", "In a notebook, `coursekit.data.datasets.load(name)` gives any of them as a typed pandas table.", ""]
    return "\n".join(lines + _sources_and_licences(package))


def data_pages() -> dict[str, str]:
    """One page per data set of ``datapackage.json``: description, fields, sources, licences, a preview.

    Why: analysts reuse the tables outside the course; each page says what every column means, where the
    rows come from and under which licence, and shows the first rows so the shape is clear before download.
    """
    from ..data import datasets

    package = datasets.package()
    pages: dict[str, str] = {}
    for resource in package["resources"]:
        name, fields = resource["name"], resource["schema"]["fields"]
        rows = datasets.rows(name)
        lines = [
            f"# {resource.get('title', name)}",
            "",
            resource.get("description", ""),
            "",
            f"Data set `{name}`: {len(rows)} rows, {len(fields)} fields; file {{download}}`{resource['path']} <{resource['path']}>`; "
            f'in a notebook, `coursekit.data.datasets.load("{name}")`.',
            "",
            "## Fields",
            "",
            "| Field | Type | Description |",
            "|---|---|---|",
        ]
        for field in fields:
            lines.append(
                f"| `{field['name']}` | {field.get('type', 'string')} | {_md_cell(field.get('description', ''))} |"
            )
        shown = [f["name"] for f in fields]
        lines += [
            "",
            f"## Preview: the first {min(PREVIEW_ROWS, len(rows))} rows",
            "",
            "| " + " | ".join(shown) + " |",
            "|" + "---|" * len(shown),
        ]
        for row in rows[:PREVIEW_ROWS]:
            lines.append("| " + " | ".join(_md_cell(row.get(f, "")) for f in shown) + " |")
        lines += [
            "",
            "Each row names its own source in its source column where the table has one; the package's sources",
            "and licences are these:",
            "",
        ]
        pages[name] = "\n".join(lines + _sources_and_licences(package))
    return pages


def merged_glossary(root: Path) -> str:
    """book/glossary.md followed by every topic's glossary entries, each term once (first wins), sorted."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for fragment in sorted((root / "book" / "glossary").glob("*.md")):
        for term, lines in glossary_entries(fragment.read_text(encoding="utf-8")):
            merged.setdefault(slug_of(term), (term, lines))
    block = "".join(f"{term}\n" + "".join(f"  {line}\n" for line in lines) + "\n" for term, lines in merged.values())
    head = (root / "book" / "glossary.md").read_text(encoding="utf-8")
    return head.rstrip() + "\n\n```{glossary}\n:sorted:\n\n" + block + "```\n"


def merged_bibliography(root: Path) -> str:
    """All topic .bib files as one, each key once whatever its case (the first definition wins).

    An entry without a year gets ``year = {n.d.}`` (no date), as the bibliography style requires a year.
    """
    seen, parts = set(), []
    for bib in sorted((root / "book" / "references").glob("*.bib")):
        for entry in re.split(r"\n(?=@)", "\n" + bib.read_text(encoding="utf-8")):
            match = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", entry)
            if match and match.group(1).lower() not in seen:
                seen.add(match.group(1).lower())
                entry = entry.strip()
                if not re.search(r"^\s*year\s*=", entry, re.MULTILINE | re.IGNORECASE):
                    entry = re.sub(r"\}\s*$", ",\n  year = {n.d.}\n}", entry.rstrip().rstrip(",").rstrip())
                parts.append(entry)
    return "\n\n".join(parts) + "\n"


def staged_config(course: Course) -> str:
    """``_config.yml`` for the build, with what derives from the repository filled in.

    ``html.baseurl`` comes from :attr:`Course.book_url`, ``title`` and ``execute.timeout`` from the course
    settings. A
    JupyterHub launch button appears only when ``launch_buttons.jupyterhub_url`` names a hub: an empty value
    is removed, so no placeholder ships.
    """
    import yaml

    config = course.book_config
    config["title"] = settings().title
    config.setdefault("execute", {})["timeout"] = settings().cell_timeout
    html = config.setdefault("html", {})
    html["baseurl"] = course.book_url + "/"
    launch = config.get("launch_buttons") or {}
    for key in ("jupyterhub_url", "colab_url", "binderhub_url"):
        if key in launch and not str(launch[key] or "").strip():
            del launch[key]
    return "# Generated by coursekit from the course's _config.yml: edit that file, not this one.\n" + yaml.safe_dump(
        config, sort_keys=False, allow_unicode=True
    )


def staged_notebook(course: Course, topic: str, stamp: str, terms: dict[str, str]) -> tuple[Path, str]:
    """Where a topic's notebook goes in the book's source tree, and its text there (see :func:`book_notebook`)."""
    notebook = course.source_notebook(topic).name
    return (
        course.root / "_build" / "book-src" / "release" / topic / notebook,
        book_notebook(course.release / topic / notebook, course.glossary_url, stamp, terms),
    )


def stage(course: Course, staged_topics: Iterable[str] = ()) -> tuple[Path, int]:
    """Write the book's source tree into ``_build/book-src`` from the release; return it and how many
    files changed. Topics in ``staged_topics`` already have their notebook staged (see :func:`build`)."""
    root, src = course.root, course.root / "_build" / "book-src"
    files: dict[Path, str] = {}
    files[src / "_config.yml"] = staged_config(course)
    files[src / "_toc.yml"] = (root / "_toc.yml").read_text(encoding="utf-8")
    for page in (root / "book").glob("*.md"):
        if page.name != "glossary.md":
            files[src / "book" / page.name] = page.read_text(encoding="utf-8")
    files[src / "book" / "glossary.md"] = merged_glossary(root)
    files[src / "book" / "references.bib"] = merged_bibliography(root)
    stamp = library_stamp(root)
    outcomes, key_file = src / "book" / "outcomes.md", root / "_build" / ".outcomes-key"
    key = outcomes_key(course, stamp)
    reuse = outcomes.exists() and key_file.exists() and key_file.read_text(encoding="utf-8") == key
    files[outcomes] = outcomes.read_text(encoding="utf-8") if reuse else outcomes_matrix(course)
    files[src / "book" / "data.md"] = data_appendix()
    from ..data import datasets

    for name, page in data_pages().items():
        files[src / "book" / "data" / f"{name}.md"] = page
        files[src / "book" / "data" / datasets.describe(name)["path"]] = datasets._read_text(name)
    for name in STATIC_FILES:
        files[src / "_static" / name] = static_text(name)
    done = set(staged_topics)
    terms = glossary_terms(root)
    for topic in (t for t in course.topics() if t not in done):
        path, text = staged_notebook(course, topic, stamp, terms)
        files[path] = text
    changed = sum(_write_if_changed(path, text) for path, text in files.items())
    _write_if_changed(key_file, key)  # only now that the page it stands for is written
    return src, changed


def _execute_one(
    path: Path,
    timeout: int,
    allow_errors: bool,
    kernel_manager_class: type | None = None,
) -> tuple[nbformat.NotebookNode | None, float]:
    """Run one staged notebook as myst-nb's cache mode does (nbclient, in the notebook's folder, the book's
    timeout and allow_errors unless the notebook's ``execution`` metadata overrides them, as jupyter-cache
    reads it); return it executed, or None if it failed, and the seconds it took.

    ``kernel_manager_class``: how its kernel is started (the runner's forks warm kernels, see
    :mod:`coursekit.book.kernel_fork`; default: as jupyter_client starts any kernel). One more difference: the
    kernel is stopped at once after the last cell instead of being asked to shut down and waited for
    (nbclient's ``shutdown_kernel="immediate"``). Every output is in by then (nbclient waits for each cell's
    reply and its output stream to go idle); the polite shutdown only tears down a Python full of pandas and
    matplotlib, which measured at 0.6-1 s per notebook and about a tenth of the notebooks' CPU time (issue 17).
    """
    import time

    from nbclient import execute

    nb = nbformat.read(path, as_version=4)
    overrides = nb.metadata.get("execution", {})
    started = time.perf_counter()
    try:
        execute(
            nb,
            cwd=str(path.parent),
            timeout=overrides.get("timeout", timeout),
            allow_errors=overrides.get("allow_errors", allow_errors),
            record_timing=False,
            shutdown_kernel="immediate",
            **({"kernel_manager_class": kernel_manager_class} if kernel_manager_class else {}),
        )
    except Exception:  # a failing cell, a dead kernel: myst-nb meets it again and reports it
        return None, 0.0
    return nb, time.perf_counter() - started


class NotebookRunner:
    """Executes notebooks, ``jobs`` at a time, into the jupyter-cache myst-nb reads, as they are handed over.

    Why: Jupyter Book 1 (myst-nb in ``cache`` mode) runs the notebooks one after the other while Sphinx reads
    them, so a cold build waits for every kernel in turn. Here each notebook is run as myst-nb would run it
    (:func:`_execute_one`) and stored where myst-nb looks, so it finds every notebook cached: the pages are the
    same, only the kernels ran side by side, and they start while the release of later topics is still being
    built. A notebook already cached is not run; one that fails is not cached, so myst-nb runs it again itself
    and reports the error as it always does. With one job nothing is run here: myst-nb executes as before.
    Threads are enough: each kernel is a process of its own, and a thread only waits for its kernel's replies.
    Kernels are forked from a process that has already imported what every topic notebook imports
    (:class:`coursekit.book.kernel_fork.Zygote`, started with the runner so its imports overlap the release):
    that halves the CPU time of executing the book's notebooks.
    """

    def __init__(self, cache_path: Path, *, timeout: int, allow_errors: bool = False, jobs: int | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from jupyter_cache import get_cache

        self.cache, self.timeout, self.allow_errors = get_cache(str(cache_path)), timeout, allow_errors
        self.jobs = jobs or os.cpu_count() or 1
        self.pool = ThreadPoolExecutor(max_workers=self.jobs) if self.jobs > 1 else None
        self.runs: dict[Path, Future] = {}
        self.zygote: Zygote | None = None
        self.kernel_manager_class: type | None = None

    def submit(self, path: Path) -> None:
        """Start running ``path`` unless the cache already holds its outputs (or there is one job)."""
        if self.pool is None:
            return
        try:
            self.cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:  # no cached outputs for this notebook's code
            if self.zygote is None:  # started with the first notebook to run: a cached book needs none
                from .kernel_fork import Zygote

                self.zygote = Zygote()
                self.kernel_manager_class = self.zygote.manager_class()
            self.runs[path] = self.pool.submit(
                _execute_one, path, self.timeout, self.allow_errors, self.kernel_manager_class
            )

    def finish(self) -> int:
        """Wait for every run, cache those that succeeded (from this thread only); return how many."""
        from jupyter_cache.base import CacheBundleIn

        executed = 0
        for path, run in self.runs.items():
            executed_nb, seconds = run.result()
            if executed_nb is None:
                continue  # myst-nb runs it again and reports the error
            record = self.cache.add_nb_to_project(str(path))
            self.cache.cache_notebook_bundle(
                CacheBundleIn(executed_nb, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            executed += 1
        self.close()
        return executed

    def close(self) -> None:
        """Stop: runs not started are dropped, running kernels are waited for."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None
        self.runs = {}


def execute_notebooks(
    notebooks: list[Path], cache_path: Path, *, timeout: int, allow_errors: bool = False, jobs: int | None = None
) -> int:
    """Run ``notebooks`` with a :class:`NotebookRunner`; return how many were executed and cached."""
    runner = NotebookRunner(cache_path, timeout=timeout, allow_errors=allow_errors, jobs=jobs)
    try:
        for path in notebooks:
            runner.submit(path)
        return runner.finish()
    finally:
        runner.close()


def _execution_settings(course: Course) -> tuple[bool, Path, int, bool]:
    """Whether the book caches notebook outputs, where, and the timeout and allow_errors it executes with."""
    execute = course.book_config.get("execute") or {}
    cache = Path(execute["cache"]) if execute.get("cache") else course.root / "_build" / ".jupyter_cache"
    return (
        execute.get("execute_notebooks") == "cache",
        cache if cache.is_absolute() else course.root / cache,
        settings().cell_timeout,
        bool(execute.get("allow_errors", False)),
    )


def build(course: Course, *, release_first: bool = True, jobs: int | None = None) -> Path:
    """Build the participant release, stage the book and compile it to ``_build/html``; return that folder.

    ``jobs``: notebooks executed at once (default: one per CPU); each topic's notebook starts as soon as its
    release is built (see :class:`NotebookRunner`). Sphinx then reads and writes pages ``jobs`` at a time.
    """
    import time

    from ..grading.workflow import release

    started = time.perf_counter()
    cached, cache_path, timeout, allow_errors = _execution_settings(course)
    runner = NotebookRunner(cache_path, timeout=timeout, allow_errors=allow_errors, jobs=jobs if cached else 1)
    try:
        changed, staged = 0, []
        stamp_text, terms = library_stamp(course.root), glossary_terms(course.root)

        def stage_and_run(topic: str) -> None:
            nonlocal changed
            path, text = staged_notebook(course, topic, stamp_text, terms)
            changed += _write_if_changed(path, text)
            staged.append(topic)
            runner.submit(path)

        if release_first:
            release(course, course.topics(), to_exchange=False, force=False, then=stage_and_run)
        else:
            for topic in course.topics():
                stage_and_run(topic)
        src, rest = stage(course, staged)
        changed += rest
        released = time.perf_counter()
        html, stamp = course.root / "_build" / "html", course.root / "_build" / ".book-built"
        if changed == 0 and stamp.exists() and (html / "index.html").exists():
            print("The book is up to date: nothing it is built from has changed.")
            return html
        stamp.unlink(missing_ok=True)
        executed = runner.finish()
        ran = time.perf_counter()
    finally:
        runner.close()
    # jupyter-book build, with Sphinx reading and writing pages ``jobs`` at a time (see coursekit.book.sphinx_build)
    command = [
        sys.executable,
        "-m",
        "coursekit.book.sphinx_build",
        str(src),
        str(course.root),
        "--jobs",
        str(jobs or os.cpu_count() or 1),
    ]
    done = subprocess.run(command, cwd=course.root, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise CourseError(f"The book did not build:\n{tail}")
    for name in STATIC_FILES:
        # Sphinx 7.4 neither overwrites a static file it copied before nor copies any when no page is out of
        # date, so a changed script or style sheet would not reach the book: write ours ourselves.
        _write_if_changed(html / "_static" / name, static_text(name))
    stamp.write_text("built\n")
    print(
        f"Book build times: release and staging {released - started:.1f} s (notebooks running alongside), "
        f"then waiting for notebooks {ran - released:.1f} s ({executed} executed here), "
        f"Sphinx {time.perf_counter() - ran:.1f} s"
    )
    return html
