"""Commands about claimtrack itself: registered extractors, embedders and plugins."""

from __future__ import annotations

import json
from collections.abc import Mapping

import click

from claimtrack.cli.group import cli
from claimtrack.plugins import get_embedders, get_extractors, load_plugins, pm


@cli.command()
def extractors() -> None:
    """List registered extractors and their aliases as JSON

    \b
    Example:
        claimtrack extractors
    """
    click.echo(json.dumps(_names(get_extractors()), indent=2))


@cli.command()
def embedders() -> None:
    """List registered embedders (model ids and aliases) as JSON

    \b
    Example:
        claimtrack embedders
    """
    click.echo(json.dumps(_names(get_embedders()), indent=2))


@cli.command()
def plugins() -> None:
    """List installed plugins and the hooks they implement as JSON

    \b
    Example:
        claimtrack plugins
    """
    load_plugins()
    rows = [
        {
            "name": name,
            "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or []),
        }
        for name, plugin in pm.list_name_plugin()
    ]
    click.echo(json.dumps(rows, indent=2))


def _names(backends: Mapping[str, object]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for name, backend in backends.items():
        canonical = getattr(backend, "name", name)
        names.setdefault(canonical, [])
        if name != canonical:
            names[canonical].append(name)
    return names
