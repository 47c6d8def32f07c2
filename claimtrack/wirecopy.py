"""Wire copies: one dispatch reprinted by several outlets with small edits.

An agency story printed by ten outlets is one source, not ten. Each article gets a
MinHash signature (datasketch) of its word 5-grams; locality-sensitive hashing finds
the stored articles whose signatures agree on a whole band, and the estimated share of
the shorter text found in the longer one decides. Trimmed paragraphs, a new headline,
an agency credit or a fixed typo change a few shingles out of hundreds; two articles
on the same topic share almost no run of five words.

The LSH bands live in SQLite (``article_bands``: one row per article and band, an
indexed 64-bit key) rather than in datasketch's in-memory ``MinHashLSH``. Measured
here, filling ``MinHashLSH`` costs about 0.5 ms an article (10 minutes at a million
articles) and holds every band in RAM in every process; the table needs no rebuild at
all, is shared by concurrent writers and costs 16 rows an article. datasketch still
computes the signatures and chooses the bands and rows for the threshold.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from claimtrack.models import Article

if TYPE_CHECKING:
    from claimtrack.store import ClaimStore

# Words per shingle: one edited word touches 5 shingles, while two independent texts
# rarely share a run of 5 words.
SHINGLE_WORDS = 5
NUM_PERM = 64
SEED = 1
# Jaccard similarity at which the LSH bands start to find a pair (half the time).
CANDIDATE_JACCARD = 0.3
# Share of the shorter article's shingles that are in the longer one. Tuned on the
# tuning half of benchmarks/wirecopies.py pairs (see benchmarks/README.md).
COPY_CONTAINMENT = 0.6
# Shorter texts are never called copies: a repeated quote is not a reprint.
MIN_WORDS = 40
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    """An article's MinHash signature and the number of shingles it was made of."""

    article_id: str
    shingles: int
    signature: bytes  # NUM_PERM little-endian uint32 values

    @property
    def band_keys(self) -> list[int]:
        """One signed 64-bit key per LSH band, as stored in ``article_bands``."""
        values = np.frombuffer(self.signature, dtype="<u4")
        bands, rows = _bands_and_rows()
        keys = []
        for band in range(bands):
            chunk = values[band * rows : (band + 1) * rows].tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


@dataclass(frozen=True)
class WireCopy:
    """What the writer stores for an article: its fingerprint and the one it copies."""

    fingerprint: Fingerprint | None  # None when the text is too short to tell
    copy_of: str | None = None
    containment: float | None = None


def words(text: str) -> list[str]:
    """The article's words, case-folded, typographic apostrophes split like ASCII."""
    return _WORD.findall(text.casefold())


def fingerprint(article: Article) -> Fingerprint | None:
    """Return the article's MinHash fingerprint, None when it has too few words."""
    tokens = words(article.text)
    if len(tokens) < MIN_WORDS:
        return None
    shingles = {
        " ".join(tokens[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    }
    minhash = _minhash()
    minhash.update_batch(list(shingles))
    signature = np.asarray(minhash.hashvalues, dtype="<u4").tobytes()
    return Fingerprint(article.id, len(shingles), signature)


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the smaller shingle set that the other one contains.

    From the MinHash Jaccard estimate J and the set sizes:
    |A ∩ B| = J (|A| + |B|) / (1 + J).
    """
    left = np.frombuffer(a.signature, dtype="<u4")
    right = np.frombuffer(b.signature, dtype="<u4")
    jaccard = float(np.mean(left == right))
    shared = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    return min(1.0, shared / min(a.shingles, b.shingles))


def best_original(
    new: Fingerprint, candidates: list[Fingerprint], roots: dict[str, str]
) -> tuple[str, float] | None:
    """Return the original that new reprints, and the containment, or None.

    Args:
        new: the article being stored.
        candidates: stored articles that share an LSH band with it.
        roots: candidate id -> the original it is itself a copy of (or itself), so
            that every copy of a dispatch points at the same first printing.
    """
    scored = [
        (containment(new, candidate), candidate.article_id)
        for candidate in candidates
        # An article never copies itself, nor a copy of itself (when re-ingested).
        if roots.get(candidate.article_id, new.article_id) != new.article_id
    ]
    scored = [item for item in scored if item[0] >= COPY_CONTAINMENT]
    if not scored:
        return None
    score, article_id = max(scored)
    return roots[article_id], round(score, 4)


@cache
def _bands_and_rows() -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations


def _minhash() -> Any:
    # Reusing the permutations saves drawing 2 x NUM_PERM random numbers per article.
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=_SCHEME
    )


class WireCopyFinder:
    """Finds, for an article about to be stored, the stored article it reprints.

    The first use fingerprints the articles stored before wire copies existed, a
    batch at a time, so that a new copy of an old article is recognised too.
    """

    BACKFILL_BATCH = 500

    def __init__(self, store: ClaimStore) -> None:
        self.store = store
        self._backfilled = False

    def examine(self, article: Article, known: Fingerprint | None = None) -> WireCopy:
        """Return the article's fingerprint and the original it copies, if any.

        Args:
            article: the article about to be stored.
            known: its fingerprint when a worker already computed it.
        """
        if not self._backfilled:
            self.backfill()
        new = known if known is not None else fingerprint(article)
        if new is None:
            return WireCopy(None)
        candidates = self.store.fingerprints_sharing_a_band(new.band_keys)
        roots = self.store.copy_roots([c.article_id for c in candidates])
        found = best_original(new, candidates, roots)
        if found is None:
            return WireCopy(new)
        return WireCopy(new, copy_of=found[0], containment=found[1])

    def backfill(self) -> int:
        """Fingerprint every stored article that has no fingerprint yet."""
        done = 0
        while articles := self.store.articles_without_fingerprint(self.BACKFILL_BATCH):
            self.store.save_fingerprints({a.id: fingerprint(a) for a in articles})
            done += len(articles)
        self._backfilled = True
        return done
