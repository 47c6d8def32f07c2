"""The click group, and the one place that turns ClaimtrackError into an error line."""

from __future__ import annotations

import logging
import os
from typing import Any

import click

from claimtrack.errors import ClaimtrackError


class ClaimtrackGroup(click.Group):
    """Show ClaimtrackError as a clean 'Error: ...' line with exit status 1.

    Commands from plugins (the ``register_commands`` hook) are added on first use,
    never at import time.
    """

    _plugin_commands_loaded = False

    def _load_plugin_commands(self) -> None:
        if not ClaimtrackGroup._plugin_commands_loaded:
            ClaimtrackGroup._plugin_commands_loaded = True
            from claimtrack.plugins import load_plugins, pm

            load_plugins()
            pm.hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimtrackError as error:
            raise click.ClickException(str(error)) from error


@click.group(
    cls=ClaimtrackGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="claimtrack")
@click.option("-v", "--verbose", is_flag=True, help="Log what each step does to stderr")
def cli(verbose: bool) -> None:
    """Track check-worthy claims across news articles and fact-checks.

    \b
    Quick start:
        claimtrack ingest claims.db examples/articles/
        claimtrack claims claims.db --table
        claimtrack serve claims.db

    Docs: https://github.com/claimtrack/claimtrack#readme
    """
    # Models come from installed packages, never from a hub, and the weight-loading
    # bars of transformers would mix with our own progress bar on stderr.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
