"""Shared click options: each option is declared once, with its help text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from claimtrack.settings import (
    DEFAULT_EMBEDDER,
    DEFAULT_EXTRACTOR,
    SUPPORTED_LANGUAGES,
)

F = TypeVar("F", bound=Callable[..., Any])


def database_argument(fn: F) -> F:
    return click.argument("database", type=click.Path(dir_okay=False, path_type=str))(
        fn
    )


class _ExistingDatabase(click.Path):
    """An existing database file, or a SQLite URI such as file:claims.db?mode=ro."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        if isinstance(value, str) and value.startswith("file:"):
            return value
        return super().convert(value, param, ctx)


def existing_database_argument(fn: F) -> F:
    return click.argument(
        "database", type=_ExistingDatabase(exists=True, dir_okay=False, path_type=str)
    )(fn)


def model_option(fn: F) -> F:
    return click.option(
        "-m",
        "--model",
        default=DEFAULT_EMBEDDER,
        show_default=True,
        envvar="CLAIMTRACK_MODEL",
        show_envvar=True,
        help="Embedder to use; 'claimtrack embedders' lists them",
    )(fn)


def extractor_option(fn: F) -> F:
    return click.option(
        "--extractor",
        default=DEFAULT_EXTRACTOR,
        show_default=True,
        envvar="CLAIMTRACK_EXTRACTOR",
        show_envvar=True,
        help="Extractor to use; 'claimtrack extractors' lists them",
    )(fn)


def threshold_options(fn: F) -> F:
    fn = click.option(
        "--same-threshold",
        type=click.FloatRange(0, 1),
        help="Probability (of the pair model) from which two mentions are the "
        "same claim; a changed number, date, negation or speaker still keeps them "
        "apart [default: calibrated for the model]",
    )(fn)
    return click.option(
        "--suggest-threshold",
        type=click.FloatRange(0, 1),
        help="Probability from which a link is suggested for review "
        "[default: calibrated for the model]",
    )(fn)


def language_choice_option(*, default: str, help_text: str) -> Callable[[F], F]:
    """Return a --lang option limited to the supported languages, for eval commands."""
    return click.option(
        "--lang",
        "language",
        type=click.Choice(SUPPORTED_LANGUAGES),
        default=default,
        show_default=True,
        help=help_text,
    )


def limit_option(fn: F) -> F:
    return click.option(
        "-n", "--limit", type=click.IntRange(min=1), help="Show at most this many rows"
    )(fn)


OUTPUT_FLAGS = (
    ("--json", "json", "Output a JSON array (the default)"),
    ("--nl", "nl", "Output newline-delimited JSON"),
    ("--csv", "csv", "Output CSV"),
    ("--tsv", "tsv", "Output TSV"),
    ("-t/--table", "table", "Output a readable table"),
)


def output_options(fn: F) -> F:
    """Add --json (default), --nl, --csv, --tsv and -t/--table as 'output_format'."""
    for flag, value, text in reversed(OUTPUT_FLAGS):
        # Only the default format declares a default: click gives the shared
        # 'output_format' to the option whose default is explicit.
        default: dict[str, Any] = {"default": True} if value == "json" else {}
        fn = click.option(
            *flag.split("/"), "output_format", flag_value=value, help=text, **default
        )(fn)
    return fn


def published_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """Parse a --published date up front, so a bad one stops before any work."""
    from claimtrack.dates import DateError, parse_date

    try:
        return parse_date(value, where=f"--{param.name}")
    except DateError as error:
        raise click.BadParameter(str(error).removeprefix(f"--{param.name}: ")) from None
