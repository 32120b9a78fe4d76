"""deploy/z2jh/values.yaml: only documented chart keys, and the same role configuration as the one-machine hub.

Helm is not available offline here, so the values are checked against the keys the chart documents in its
schema: zero-to-jupyterhub-k8s, ``jupyterhub/values.schema.yaml`` (chart 4.x, JupyterHub 5.5 in the chart;
also rendered at z2jh.jupyter.org, "Configuration Reference"). DOCUMENTED lists the ones this file may use.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from coursekit.grading.course import Course
from coursekit.hub.setup import instructor_config, participant_config
from coursekit.hub.tabletop_service import hub_settings

REPO = Path(__file__).resolve().parents[1]
VALUES = REPO / "deploy" / "z2jh" / "values.yaml"

# Key paths from the chart's values.schema.yaml. Below a key ending in ".*" the chart takes free-form
# content (traitlets config, environment variables, files, Kubernetes volume specs, profiles).
DOCUMENTED = {
    "hub.db.type",
    "hub.db.url",
    "hub.db.password",
    "hub.config.*",
    "hub.image.name",
    "hub.image.tag",
    "hub.extraConfig.*",
    "singleuser.image.name",
    "singleuser.image.tag",
    "singleuser.defaultUrl",
    "singleuser.memory.guarantee",
    "singleuser.memory.limit",
    "singleuser.cpu.guarantee",
    "singleuser.cpu.limit",
    "singleuser.storage.type",
    "singleuser.storage.capacity",
    "singleuser.storage.extraVolumes.*",
    "singleuser.storage.extraVolumeMounts.*",
    "singleuser.extraEnv.*",
    "singleuser.extraFiles.*",
    "singleuser.profileList.*",
    "cull.enabled",
    "cull.timeout",
    "cull.every",
}
DB_TYPES = {"sqlite-pvc", "sqlite-memory", "mysql", "postgres", "other"}  # hub.db.type's enum in the schema


def leaf_paths(node, prefix: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if f"{path}.*" in DOCUMENTED:
                yield f"{path}.*"
            else:
                yield from leaf_paths(value, path)
    else:
        yield prefix


def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def test_every_key_is_one_the_chart_documents():
    used = set(leaf_paths(values()))
    assert used - DOCUMENTED == set()
    assert values()["hub"]["db"]["type"] in DB_TYPES


def quantity(text: str) -> float:
    """A Kubernetes memory quantity in bytes (the suffixes the values file may use)."""
    number, unit = re.fullmatch(r"([0-9.]+)([KMG]i?)?", str(text)).groups()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, None: 1}[unit]
    return float(number) * scale


def test_memory_and_culling_are_sane():
    single = values()["singleuser"]
    assert 0 < quantity(single["memory"]["guarantee"]) < quantity(single["memory"]["limit"])
    cull = values()["cull"]
    assert cull["enabled"] is True and 0 < cull["every"] < cull["timeout"]


def test_role_files_match_what_the_one_machine_hub_writes():
    single = values()["singleuser"]
    exchange = single["extraEnv"]["COURSEKIT_EXCHANGE"]
    assert [m["mountPath"] for m in single["storage"]["extraVolumeMounts"]] == [exchange]
    course_id = Course(REPO).course_id
    files = {}
    for spec in single["extraFiles"].values():
        content = spec.get("stringData") or json.dumps(spec["data"], indent=2)
        files[spec["mountPath"]] = content
    participant_dir = single["extraEnv"]["JUPYTER_CONFIG_PATH"]
    for rel, text in participant_config(course_id, exchange).items():
        mounted = files[f"{participant_dir}/{rel}"]
        if rel.endswith(".json"):
            assert json.loads(mounted) == json.loads(text), rel
        else:
            assert settings_of(mounted) == settings_of(text), rel
    (instructor,) = [p for p in single["profileList"] if "kubespawner_override" in p]
    instructor_dir = instructor["kubespawner_override"]["environment"]["JUPYTER_CONFIG_PATH"]
    mounted = settings_of(files[f"{instructor_dir}/nbgrader_config.py"])
    expected = instructor_config(course_id, exchange, mounted["c.CourseDirectory.root"])["nbgrader_config.py"]
    assert mounted == settings_of(expected)


def settings_of(config_py: str) -> dict[str, str]:
    """``c.X.y = value`` lines of a Jupyter config file, quotes normalised."""
    found = {}
    for line in config_py.splitlines():
        match = re.match(r"\s*(c\.\w+\.\w+)\s*=\s*(.+?)\s*$", line)
        if match:
            found[match.group(1)] = yaml.safe_load(match.group(2).replace("'", '"'))
    return found


def test_the_tabletop_service_is_declared_as_on_one_machine_with_postgresql():
    """Same name, command, scopes, roles and groups as coursekit.hub.tabletop_service; state in PostgreSQL."""
    hub = values()["hub"]["config"]["JupyterHub"]
    (service,) = hub["services"]
    port = int(service["url"].rsplit(":", 1)[1])
    expected = hub_settings(
        python="python3",
        port=port,
        db_url=service["environment"]["TABLETOP_DB_URL"],
        instructors=hub["load_groups"]["instructors"]["users"],
        course=service["environment"]["COURSEKIT_COURSE"],
    )
    for key in ("custom_scopes", "load_groups", "load_roles", "services"):
        assert hub[key] == expected[key], key
    assert service["environment"]["TABLETOP_DB_URL"].startswith("postgresql://")
    assert values()["hub"]["image"]["name"] != values()["singleuser"]["image"]["name"]  # the hub image has coursekit
