"""JupyterLab as a participant sees it: nbgrader's instructor tools and JupyterLab's news out of the way.

Participants work in JupyterLab on the hub, on Binder and on their own computer. Out of the box it shows them
nbgrader's instructor panels (Create Assignment in the right sidebar, Formgrader, Course List), a Validate
button in every notebook's toolbar, and, on first open, JupyterLab's "Jupyter news?" toast over the exercise
text. The files here switch these off, in one Jupyter configuration folder that each way of running reads:

* the hub puts the folder first on ``JUPYTER_CONFIG_PATH`` of participants' servers (``coursekit.hub.setup``,
  ``deploy/z2jh/values.yaml``);
* Binder's ``postBuild`` writes it into the image's environment (``coursekit lab-config``);
* ``coursekit lab`` starts a local JupyterLab with it first on ``JUPYTER_CONFIG_PATH``.

JupyterLab 4 reads ``labconfig/page_config.json`` (``disabledExtensions``) and
``labconfig/default_setting_overrides.json`` (setting defaults) from every folder on the Jupyter config path
(jupyterlab_server's ``get_page_config`` and ``_get_overrides``), so one folder serves all three.

Language-server support (jupyter_lsp) is off too: the course ships no language server for it to find.

The Assignment List stays: nbgrader 0.9.6 registers its command in ``@jupyter/nbgrader:assignment-list`` but
offers it only through the Nbgrader menu (``@jupyter/nbgrader:menu``), so both stay on. The menu's instructor
entries disappear with their plugins, whose commands are then never registered.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

#: nbgrader's lab plugins participants do not use: instructor tools, and Validate, which runs the notebook's
#: visible tests only and would tell a participant "passed" while the hidden ones decide the grade.
HIDDEN_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:validate-assignment",
)
#: nbgrader's instructor server extensions (formgrader's pages and the course list's API).
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
#: server extensions with nothing to do for a participant: the course environment has no language server, and
#: jupyter_lsp still probes for them in a child process whenever JupyterLab opens (measured: 0.1 CPU-s a
#: participant, which 30 participants logging in at once on two cores wait for; benchmarks/bench_hub_nine.py)
IDLE_SERVER_EXTENSIONS = ("jupyter_lsp",)
#: JupyterLab's language-server front end (and the two plugins that need it), off with its server side: left
#: on, it asks the server for ``/lsp/status`` when a notebook opens and gets a 404 (an error in the browser's
#: console on every visit).
#: The two plugins that ask the server for nbconvert's export formats when the first notebook opens (File ▸
#: Save and Export Notebook As, and raw cells' format list): the server then loads every nbconvert exporter,
#: 0.21 CPU-s for each participant at nine o'clock (benchmarks/bench_hub_nine.py). Participants take their work
#: home with "My course" (a Word document); File ▸ Download still saves the notebook itself.
IDLE_LAB_PLUGINS = (
    "@jupyterlab/lsp-extension",
    "@jupyterlab/fileeditor-extension:language-server",
    "@jupyterlab/notebook-extension:language-server",
    "@jupyterlab/notebook-extension:export",
    "@jupyterlab/notebook-extension:update-raw-mimetype",
)
#: JupyterLab's build check off: on every page load it asked the server whether JupyterLab should be rebuilt,
#: which the server answers by running Node.js (0.4 CPU-s for each participant at nine o'clock,
#: benchmarks/bench_hub_nine.py); a participant cannot rebuild the course environment and the answer is always no.
NO_BUILD_CHECK = {"buildCheck": False, "buildAvailable": False}
#: JupyterLab setting defaults: no news toast (fetchNews "none" asks on first open), no update check; and the
#: widget manager saves widget state with the notebook, so a notebook reopened on a fresh server draws each
#: exercise with its saved answer (and says how to make it live) instead of "Error displaying widget".
QUIET_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
}


def participant_lab_files() -> dict[str, str]:
    """The participant's Jupyter configuration folder for JupyterLab and the server, by relative path."""
    return {
        "jupyter_server_config.json": json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {
                        name: False for name in (*INSTRUCTOR_SERVER_EXTENSIONS, *IDLE_SERVER_EXTENSIONS)
                    }
                }
            },
            indent=2,
        ),
        "labconfig/page_config.json": json.dumps(
            {"disabledExtensions": {name: True for name in (*HIDDEN_LAB_PLUGINS, *IDLE_LAB_PLUGINS)}, **NO_BUILD_CHECK},
            indent=2,
        ),
        "labconfig/default_setting_overrides.json": json.dumps(QUIET_SETTINGS, indent=2),
    }


def write_lab_files(folder: Path) -> None:
    """Write the participant's JupyterLab configuration into ``folder`` (created if missing)."""
    for rel, text in participant_lab_files().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")


def participant_environment(folder: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default: this process's) with ``folder`` first on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if environ is None else environ)
    rest = env.get("JUPYTER_CONFIG_PATH")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(folder), *([rest] if rest else [])])
    return env


def local_lab_folder() -> Path:
    """Where ``coursekit lab`` keeps the participant configuration: inside the course's environment."""
    return Path(sys.prefix) / "etc" / "coursekit-participant"
