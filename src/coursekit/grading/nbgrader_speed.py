"""Make nbgrader's per-submission overhead small when one process grades a whole class.

Without a kernel to start, an autograde is dominated by costs that nbgrader pays again for every one of
the nine or so ``Gradebook`` objects it opens per notebook: a new SQLAlchemy engine (so no compiled
statement is ever reused), a check of every table's existence and of the course's row; for every cell, a
validation of nbgrader's JSON schema against the meta-schema before the cell is checked against it. Inside
:func:`fast_nbgrader` these are paid once: engines are shared per database URL, tables and the course row
are checked once per engine, and each schema's validator is built once. The same grades reach the same
database, and every cell is checked against the same schema with the same errors raised.

(nbconvert's validation of the whole notebook after each preprocessor is turned off where nbconvert allows
it, ``c.Exporter.optimistic_validation = True`` in ``nbgrader_config.py``, not here.)

nbgrader offers no extension point for any of this, so it is done by rebinding names nbgrader looks up at
call time: ``nbgrader.api.create_engine``, ``nbgrader.api.inspect``, ``Base.metadata.create_all``,
``Gradebook.check_course`` and ``nbgrader.nbgraderformat.common.jsonschema``. Each is restored on leaving the
block. ``tests/test_upstream_drift.py`` fails the day nbgrader stops looking one of them up that way (the
rebinding would then silently do nothing), so an upgrade says what to re-check.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator


@contextmanager
def fast_nbgrader() -> Iterator[None]:
    """Within this block, nbgrader reuses gradebook engines and schema validators."""
    import jsonschema
    import nbgrader.api
    import nbgrader.nbgraderformat.common as formats

    engines: dict[tuple[str, str], Any] = {}
    validators: dict[str, Any] = {}
    table_names: dict[int, list[str]] = {}
    created: set[int] = set()
    original_create_engine = nbgrader.api.create_engine
    original_jsonschema = formats.jsonschema
    original_inspect = nbgrader.api.inspect
    original_create_all = nbgrader.api.Base.metadata.create_all
    original_check_course = nbgrader.api.Gradebook.check_course
    courses: set[tuple[int, str]] = set()

    def shared_engine(url: Any, **kwargs: Any) -> Any:
        key = (str(url), repr(sorted(kwargs.items())))
        if key not in engines:
            if str(url).startswith("sqlite"):  # grading processes on other topics may hold the write lock briefly
                kwargs = {**kwargs, "connect_args": {"timeout": 30}}
            engines[key] = original_create_engine(url, **kwargs)
        return engines[key]

    class CachedJsonschema:
        """Stands in for the ``jsonschema`` module inside nbgrader's format checks."""

        ValidationError = jsonschema.ValidationError

        @staticmethod
        def validate(instance: Any, schema: dict) -> None:
            key = json.dumps(schema, sort_keys=True)
            validator = validators.get(key)
            if validator is None:
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                validator = validators[key] = cls(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

    class KnownTables:
        """``inspect(engine)`` for Gradebook's one question, answered once per engine."""

        def __init__(self, engine: Any) -> None:
            self.engine = engine

        def get_table_names(self) -> list[str]:
            if id(self.engine) not in table_names:
                table_names[id(self.engine)] = original_inspect(self.engine).get_table_names()
            return table_names[id(self.engine)]

    def create_all_once(bind: Any = None, **kwargs: Any) -> None:
        if id(bind) not in created:
            original_create_all(bind=bind, **kwargs)
            created.add(id(bind))
            table_names[id(bind)] = original_inspect(bind).get_table_names()

    def check_course_once(gradebook: Any, course_id: str = "default_course", **kwargs: Any) -> Any:
        key = (id(gradebook.engine), course_id)
        if key in courses and not kwargs:
            return None  # Gradebook.__init__, its only caller, ignores the result
        courses.add(key)
        return original_check_course(gradebook, course_id, **kwargs)

    nbgrader.api.create_engine = shared_engine
    nbgrader.api.Gradebook.check_course = check_course_once
    nbgrader.api.inspect = KnownTables
    nbgrader.api.Base.metadata.create_all = create_all_once
    formats.jsonschema = CachedJsonschema
    try:
        yield
    finally:
        nbgrader.api.create_engine = original_create_engine
        nbgrader.api.Gradebook.check_course = original_check_course
        nbgrader.api.inspect = original_inspect
        nbgrader.api.Base.metadata.create_all = original_create_all
        formats.jsonschema = original_jsonschema
        for engine in engines.values():
            engine.dispose()
