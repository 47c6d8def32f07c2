"""Each hook, exercised through a real plugin registered on the plugin manager."""

from collections.abc import Iterator

import click
from click.testing import CliRunner

from claimtrack.cli import cli
from claimtrack.cli.group import ClaimtrackGroup
from claimtrack.extract import Extractor
from claimtrack.hookspecs import hookimpl
from claimtrack.models import Article, Claim
from claimtrack.plugins import get_embedder, get_extractor, pm
from claimtrack.testing import FakeEmbedder


class WholeTextExtractor(Extractor):
    name = "whole-text"

    def extract(self, article: Article) -> Iterator[Claim]:
        yield Claim(
            id="c",
            article_id=article.id,
            position=0,
            text=article.text,
            sentence=article.text,
            char_start=0,
            char_end=len(article.text),
            sentence_start=0,
            sentence_end=len(article.text),
        )


class Plugin:
    __name__ = "ExamplePlugin"

    @hookimpl
    def register_extractors(self, register):
        register(WholeTextExtractor(), aliases=("whole",))

    @hookimpl
    def register_embedders(self, register):
        register(
            FakeEmbedder(dimensions=8, model_id="example/eight"), aliases=("eight",)
        )

    @hookimpl
    def register_commands(self, cli):
        @cli.command(name="hello-plugin")  # type: ignore[untyped-decorator]
        def hello() -> None:
            """Say hello from a plugin

            \b
            Example:
                claimtrack hello-plugin
            """
            click.echo("hello from a plugin")


def _with_plugin(test):
    def run():
        pm.register(Plugin(), name="example-plugin")
        try:
            test()
        finally:
            pm.unregister(name="example-plugin")

    return run


@_with_plugin
def test_hook_register_extractors():
    extractor = get_extractor("whole")
    assert extractor.name == "whole-text"
    assert [c.text for c in extractor.extract(Article(id="a", text="x y z"))] == [
        "x y z"
    ]


@_with_plugin
def test_hook_register_embedders():
    embedder = get_embedder("eight")
    assert embedder.model_id == "example/eight"
    assert embedder.embed("a b").shape == (8,)


@_with_plugin
def test_hook_register_commands():
    ClaimtrackGroup._plugin_commands_loaded = False
    try:
        result = CliRunner().invoke(cli, ["hello-plugin"])
        assert result.exit_code == 0, result.output
        assert result.stdout == "hello from a plugin\n"
    finally:
        cli.commands.pop("hello-plugin", None)
