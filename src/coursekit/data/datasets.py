"""The course's data tables: a Frictionless Data Package shipped inside coursekit.

The tables (instruments, incidents, attributions, norms, NIS2 sectors, EU cyber sanctions listings,
confidence-building measures) live in ``coursekit/data`` beside ``datapackage.json``, which describes every
column: its type, the closed set of values where there is one, and what it means. The notebooks load them
with :func:`load`; the book's data appendix is generated from :func:`package`.

Why a data package rather than ad hoc CSV reading in each notebook: the descriptor is the one place that
says what a column means and which values it may take, ``frictionless validate`` checks the files against
it in the test suite, and :func:`load` uses it to give every column the right pandas dtype, so a notebook
never compares dates as strings or counts a misspelt category.

pandas is imported inside :func:`load` only: ``import coursekit`` must stay fast for participants whose
notebook never touches a table. :func:`rows` reads a table with the standard library for callers that need
no DataFrame (the NIS2 classifier).
"""

from __future__ import annotations

import copy
import csv
import io
import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["UnknownDatasetError", "describe", "load", "names", "package", "rows"]

_DATA_PACKAGE = "datapackage.json"


class UnknownDatasetError(KeyError, ValueError):
    """Raised for a table name that is not in the package.

    It is both a ``KeyError`` (a name lookup failed) and a ``ValueError`` (a bad argument), so callers can
    catch whichever they expect. The message lists the known names, so a typo explains itself.
    """

    def __init__(self, name: object, known: list[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"Unknown data set {name!r}. Known data sets: {', '.join(self.known)}.")

    def __str__(self) -> str:  # KeyError would otherwise print the message with quotes around it
        return str(self.args[0])


def _data_dir() -> Any:
    """The folder holding the package, found through importlib.resources so it works from a wheel or a checkout."""
    return resources.files("coursekit.data")


@lru_cache(maxsize=1)
def _package() -> dict[str, Any]:
    """Read the descriptor once per process; callers receive copies, so this cached one is never mutated."""
    text = _data_dir().joinpath(_DATA_PACKAGE).read_text(encoding="utf-8")
    return json.loads(text)


def package() -> dict[str, Any]:
    """The whole Data Package descriptor (a copy): licences, sources and every resource with its schema.

    Used to build the book's data appendix and to show participants where a table comes from.
    """
    return copy.deepcopy(_package())


def names() -> list[str]:
    """Names of the tables in the package, sorted."""
    return sorted(r["name"] for r in _package()["resources"])


def _resource(name: str) -> dict[str, Any]:
    for r in _package()["resources"]:
        if r["name"] == name:
            return r
    raise UnknownDatasetError(name, names())


def describe(name: str) -> dict[str, Any]:
    """The resource descriptor of one table (a copy): its description, licence notes and table schema.

    Raises :class:`UnknownDatasetError` for a name that is not in the package.
    """
    return copy.deepcopy(_resource(name))


def _read_text(name: str) -> str:
    res = _resource(name)
    return _data_dir().joinpath(res["path"]).read_text(encoding=res.get("encoding", "utf-8"))


def rows(name: str) -> list[dict[str, str]]:
    """One table as a list of dicts of strings, read with the standard library (no pandas, no type conversion).

    Empty cells are empty strings. Meant for small lookups where importing pandas would cost more than it
    gives, such as the NIS2 classifier's list of sectors.
    """
    return [dict(r) for r in csv.DictReader(io.StringIO(_read_text(name), newline=""))]


def load(name: str) -> pd.DataFrame:
    """Load one table as a pandas DataFrame, with each column typed from the table schema.

    - ``date`` columns become ``datetime64`` (empty cells are ``NaT``);
    - ``boolean`` columns become pandas' nullable ``boolean``;
    - ``integer`` columns become nullable ``Int64`` (empty cells are ``<NA>``);
    - ``number`` columns become ``float64``;
    - string columns with an ``enum`` constraint become ``Categorical`` whose categories are the enum, in the
      schema's order, so value counts show categories that have no rows and sorting follows the schema;
    - other string columns stay strings, with empty cells as missing values.

    A value that does not fit its column's type or enum raises ``ValueError`` naming the table and column:
    the shipped files are validated in the test suite, so this only happens if a file was edited by hand.
    """
    import pandas as pd  # lazy: importing coursekit must not import pandas

    res = _resource(name)
    fields = res["schema"]["fields"]
    raw = pd.read_csv(
        io.StringIO(_read_text(name)),
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        raise ValueError(f"Table {name!r}: columns {list(raw.columns)} do not match the schema {expected}.")

    out: dict[str, Any] = {}
    for field in fields:
        col = field["name"]
        values = raw[col]
        kind = field.get("type", "string")
        where = f"Table {name!r}, column {col!r}"
        if kind == "date":
            try:
                out[col] = pd.to_datetime(values, format="%Y-%m-%d")
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{where}: not an ISO date ({exc}).") from exc
        elif kind == "boolean":
            mapped = values.map({"true": True, "false": False}, na_action="ignore")
            bad = values.notna() & mapped.isna()
            if bad.any():
                raise ValueError(f"{where}: not 'true' or 'false': {sorted(set(values[bad]))}.")
            out[col] = mapped.astype("boolean")
        elif kind == "integer":
            try:
                out[col] = pd.to_numeric(values).astype("Int64")
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{where}: not an integer ({exc}).") from exc
        elif kind == "number":
            out[col] = pd.to_numeric(values).astype("float64")
        else:
            enum = field.get("constraints", {}).get("enum")
            if enum:
                unknown = sorted(set(values.dropna()) - set(enum))
                if unknown:
                    raise ValueError(f"{where}: values {unknown} are not among {enum}.")
                out[col] = pd.Categorical(values, categories=enum)
            else:
                out[col] = values
    return pd.DataFrame(out, index=raw.index)
