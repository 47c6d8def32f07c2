"""claimtrack eval: measure extraction, check-worthiness and retrieval on benchmarks.

The commands of this group live in their own modules (eval_*.py) and add themselves to
``evaluate`` when imported by ``claimtrack.cli``.
"""

from __future__ import annotations

from claimtrack.cli.group import cli


@cli.group(name="eval")
def evaluate() -> None:
    """Measure claimtrack on benchmark data given as file paths

    \b
    Example:
        claimtrack eval --help
    """
