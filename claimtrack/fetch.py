"""Fetch one URL with bounds: a size cap and an overall deadline (httpx, streamed).

httpx's timeout is per network operation, so a server that trickles one byte every
few seconds would hold a plain ``httpx.get`` forever, and a response is buffered
whole whatever its size. Here the body is streamed and counted (after
decompression, so a gzip bomb is counted at its real size), and the whole fetch
runs in a worker thread that the caller stops waiting for at the deadline.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from claimtrack.errors import FetchError
from claimtrack.settings import (
    FETCH_DEADLINE_SECONDS,
    FETCH_TIMEOUT_SECONDS,
    MAX_FETCH_BYTES,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class Fetched:
    """A fetched response: its final URL (after redirects), type and body."""

    url: str
    content_type: str
    content: bytes
    charset: str | None  # from the Content-Type header, when it names one

    @property
    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8, else Windows-1252.

        A page served without a charset is often Latin-1; decoding it as UTF-8 with
        replacement characters would store it garbled. Windows-1252 is the superset
        of Latin-1 that browsers use for such pages (WHATWG Encoding).
        """
        for encoding in (self.charset, _declared_in_body(self.content)):
            if encoding:
                try:
                    return self.content.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    pass
        try:
            return self.content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self.content.decode("cp1252", errors="replace")


def fetch(
    url: str,
    *,
    timeout: float = FETCH_TIMEOUT_SECONDS,
    deadline: float = FETCH_DEADLINE_SECONDS,
    max_bytes: int = MAX_FETCH_BYTES,
) -> Fetched:
    """Fetch a URL, refusing a body over max_bytes or a fetch longer than deadline.

    Args:
        url: an http(s) URL.
        timeout: seconds to wait for each network operation (connect, each read).
        deadline: seconds for the whole fetch, redirects and body included.
        max_bytes: the largest body accepted, after decompression.

    Raises:
        FetchError: the URL cannot be fetched, answers with an error status, is too
            large or too slow.
    """
    outcome: list[Fetched | FetchError] = []
    stop_at = time.monotonic() + deadline
    worker = threading.Thread(
        target=lambda: outcome.append(
            _fetch_or_error(url, timeout, deadline, stop_at, max_bytes)
        ),
        name="claimtrack-fetch",
        daemon=True,  # a stalled read ends at its timeout; never block exit on it
    )
    worker.start()
    worker.join(deadline)
    if not outcome:
        raise _too_slow(url, deadline)
    result = outcome[0]
    if isinstance(result, FetchError):
        raise result
    return result


def _fetch_or_error(
    url: str, timeout: float, deadline: float, stop_at: float, max_bytes: int
) -> Fetched | FetchError:
    import httpx

    try:
        return _stream(url, timeout, deadline, stop_at, max_bytes)
    except FetchError as error:
        return error
    except httpx.TimeoutException:
        return FetchError(f"{url}: no answer within {timeout:.0f} s. Try again later.")
    except httpx.HTTPError as error:
        return FetchError(f"{url}: cannot fetch ({error}). Check the address.")
    except (ValueError, OSError) as error:  # malformed URL or headers, socket errors
        return FetchError(f"{url}: cannot fetch ({error}). Check the address.")


def _too_slow(url: str, deadline: float) -> FetchError:
    return FetchError(
        f"{url}: not fully received within {deadline:.0f} s (the server is too "
        "slow). Try again later, or save the page and give the file."
    )


def _stream(
    url: str, timeout: float, deadline: float, stop_at: float, max_bytes: int
) -> Fetched:
    import httpx

    limit = f"the {max_bytes:,}-byte limit"
    with (
        httpx.Client(timeout=timeout, follow_redirects=True) as client,
        client.stream("GET", url) as response,
    ):
        if response.status_code >= 400:
            raise FetchError(
                f"{url}: the server answered {response.status_code}. Check the address."
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(
                f"{url}: {int(declared):,} bytes is more than {limit}. "
                "Save the page and split it, or give a smaller one."
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url}: the answer is larger than {limit}.")
            if time.monotonic() > stop_at:
                raise _too_slow(url, deadline)
            chunks.append(chunk)
        return Fetched(
            url=str(response.url),
            content_type=response.headers.get("content-type", "").lower(),
            content=b"".join(chunks),
            charset=response.charset_encoding,
        )


def _declared_in_body(content: bytes) -> str | None:
    """The encoding a page or feed declares in its first bytes (<meta>, <?xml?>)."""
    head = content[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None
