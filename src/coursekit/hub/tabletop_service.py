"""Declare the tabletop service in a JupyterHub configuration: the hub starts it, stops it and restarts it if
it dies, gives it its OAuth client and API token, and decides through roles who may use and who may
facilitate it. Used by ``deploy/jupyterhub_config.py`` (one machine) and by the tests' own hubs, so what is
tested is what is deployed; ``deploy/z2jh/values.yaml`` states the same for Kubernetes.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..tabletop.access import FACILITATE, INSTRUCTORS_GROUP, SERVICE_NAME


def hub_settings(*, python: str, port: int, db_url: str, instructors: Iterable[str], course: str) -> dict[str, Any]:
    """The ``JupyterHub`` settings that declare the service, as plain data (also compared with the z2jh values).

    ``course`` is the folder holding the course's ``course.toml`` and ``tabletop/`` exercises, which the service
    reads (``COURSEKIT_COURSE``): the library ships no course of its own.
    """
    return {
        "custom_scopes": {FACILITATE: {"description": "Facilitate tabletop exercises: sessions, injects, export."}},
        "load_groups": {INSTRUCTORS_GROUP: {"users": sorted(instructors)}},
        "load_roles": [
            # every user may reach the service (and nothing more than the default 'self')
            {"name": "user", "scopes": ["self", f"access:services!service={SERVICE_NAME}"]},
            {"name": "tabletop-facilitator", "scopes": [FACILITATE], "groups": [INSTRUCTORS_GROUP]},
        ],
        "services": [
            {
                "name": SERVICE_NAME,
                "url": f"http://127.0.0.1:{port}",
                "command": [python, "-m", "coursekit.tabletop", "serve"],
                "environment": {"TABLETOP_DB_URL": db_url, "COURSEKIT_COURSE": course},
                # the OAuth token the service receives may carry the facilitator scope, for users who hold it
                "oauth_client_allowed_scopes": [FACILITATE],
                # the course's own service, run by the hub's administrator: no "Authorize access" page to click
                # through before every participant's first visit
                "oauth_no_confirm": True,
                "display": True,
            }
        ],
    }


def configure(c: Any, **kwargs: Any) -> None:
    """Apply :func:`hub_settings` to a JupyterHub config object ``c`` (adding to any services already set)."""
    for key, value in hub_settings(**kwargs).items():
        setattr(c.JupyterHub, key, value)
