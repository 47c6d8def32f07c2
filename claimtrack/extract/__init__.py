"""The Extractor base class: article text in, claim mentions out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from claimtrack.models import Article, Claim


class Extractor(ABC):
    """Splits an article into claims. Subclasses implement extract().

    Every claim's ``char_start``/``char_end`` and ``sentence_start``/``sentence_end``
    must index into ``article.text`` exactly as given.
    """

    name: str

    @abstractmethod
    def extract(self, article: Article) -> Iterator[Claim]:
        """Yield the article's claims in reading order."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
