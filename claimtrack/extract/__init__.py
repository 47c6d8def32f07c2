"""The Extractor base class: article text in, claim mentions out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence

from claimtrack.errors import ClaimtrackError
from claimtrack.models import Article, Claim
from claimtrack.vectors import FloatArray

# The vectors an extractor embedded claims with: {model id: {claim id: vector}}.
ClaimVectors = dict[str, dict[str, FloatArray]]


class Extractor(ABC):
    """Splits an article into claims. Subclasses implement extract().

    Every claim's ``char_start``/``char_end`` and ``sentence_start``/``sentence_end``
    must index into ``article.text`` exactly as given.
    """

    name: str

    @abstractmethod
    def extract(self, article: Article) -> Iterator[Claim]:
        """Yield the article's claims in reading order."""

    def extract_many(
        self, articles: Sequence[Article]
    ) -> list[list[Claim] | ClaimtrackError]:
        """Return each article's claims, or the error that stopped it, in order.

        Extractors that run a model over claims can override this to batch the model
        across articles; one article's error must not stop the others.
        """
        extracted: list[list[Claim] | ClaimtrackError] = []
        for article in articles:
            try:
                extracted.append(list(self.extract(article)))
            except ClaimtrackError as error:
                extracted.append(error)
        return extracted

    def extract_many_with_vectors(
        self, articles: Sequence[Article]
    ) -> tuple[list[list[Claim] | ClaimtrackError], ClaimVectors]:
        """extract_many, with the vectors the extractor embedded the claims with.

        The pipeline passes them on to the embedder (``Embedder.embed_reusing``), so
        a model the extractor ran (E5, for check-worthiness) does not run twice.
        """
        return self.extract_many(articles), {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
