"""The ``coursekit`` command line for authors and instructors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .authoring import AuthoringError, source_notebooks, stamp_file


def _author(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or source_notebooks(Path(args.source))
    if not paths:
        print(f"No notebooks found under {args.source}/<assignment>/.", file=sys.stderr)
        return 2
    changed = []
    for path in paths:
        try:
            if stamp_file(path, check_only=args.check):
                changed.append(path)
        except AuthoringError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    verb = "would change" if args.check else "stamped"
    for path in changed:
        print(f"{verb}: {path}")
    if args.check and changed:
        print("Run `coursekit author` and commit the result.", file=sys.stderr)
        return 1
    print(f"{len(paths)} notebook(s) checked, {len(changed)} {verb}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit", description="Author, release, grade and publish the course.")
    sub = parser.add_subparsers(dest="command", required=True)
    author = sub.add_parser(
        "author",
        help="stamp nbgrader metadata on source notebooks and strip their outputs",
        description="Lock exercise cells, turn hidden-test cells into autograded cells, remove outputs.",
    )
    author.add_argument("paths", nargs="*", help="notebooks (default: every notebook under --source)")
    author.add_argument("--source", default="notebooks", help="source folder (default: notebooks)")
    author.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs stamping")
    author.set_defaults(func=_author)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
