"""`python -m claimtrack` runs the CLI."""

from claimtrack.cli import cli

cli()
