"""Run the claimtrack CLI with the fake backends registered, for subprocess tests.

Usage: python tests/fake_cli.py ingest DB FILE --model fake --extractor fake
"""

from claimtrack.cli import cli
from claimtrack.plugins import pm
from claimtrack.testing import FakeBackends

if __name__ == "__main__":
    pm.register(FakeBackends(), name="fakes")
    cli()
