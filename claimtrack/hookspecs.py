"""Pluggy hook specifications, and the hookimpl marker for plugin authors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pluggy import HookimplMarker, HookspecMarker

if TYPE_CHECKING:
    import click

hookspec = HookspecMarker("claimtrack")
hookimpl = HookimplMarker("claimtrack")


@hookspec
def register_extractors(register: Callable[..., None]) -> None:
    """Register Extractor instances: register(extractor, aliases=("short-name",))"""


@hookspec
def register_embedders(register: Callable[..., None]) -> None:
    """Register Embedder instances: register(embedder, aliases=("short-name",))"""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Register extra CLI commands, e.g. 'claimtrack mycommand ...'"""


@hookspec
def register_readers(register: Callable[..., None]) -> None:
    """Register input formats: register(Reader(name, read, suffixes=(".tsv",)))

    See :class:`claimtrack.sources.records.Reader`: ``read(document, kind)`` yields
    :class:`~claimtrack.sources.records.Record` values (a row of columns, or a JSON
    document) for articles, fact-checks or both.
    """
