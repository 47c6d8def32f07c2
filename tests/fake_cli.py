"""Run the claimtrack CLI with the fake backends registered, for subprocess tests.

Usage: python tests/fake_cli.py ingest DB FILE --model fake --extractor fake
"""

from claimtrack.cli import cli
from claimtrack.hookspecs import hookimpl
from claimtrack.plugins import pm
from claimtrack.testing import FakeEmbedder, FakeExtractor


class FakeBackends:
    __name__ = "FakeBackends"

    @hookimpl
    def register_embedders(self, register):
        register(FakeEmbedder(), aliases=("fake",))

    @hookimpl
    def register_extractors(self, register):
        register(FakeExtractor())


if __name__ == "__main__":
    pm.register(FakeBackends(), name="fakes")
    cli()
