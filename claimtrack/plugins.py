"""The plugin manager: built-in backends and installed plugins, loaded lazily, once."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

import pluggy

from claimtrack import hookspecs
from claimtrack.errors import UnknownBackendError

if TYPE_CHECKING:
    from claimtrack.embed import Embedder
    from claimtrack.extract import Extractor

pm = pluggy.PluginManager("claimtrack")
pm.add_hookspecs(hookspecs)

DEFAULT_PLUGINS = (
    "claimtrack.extract.sentences",
    "claimtrack.embed",
    # The input formats: shared (CSV, JSON Lines, JSON), articles', fact-checks'.
    "claimtrack.sources.records",
    "claimtrack.sources.articles",
    "claimtrack.factchecks.read",
)
_loaded = False


def load_plugins() -> None:
    """Register the built-in backends and any installed plugins, once per process.

    ``CLAIMTRACK_LOAD_PLUGINS=name1,name2`` limits which installed plugins load, which
    makes "is it a plugin's fault?" quick to answer; an empty value loads none.
    """
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), module_name)
    if getattr(sys, "_called_from_test", False):
        return  # tests register exactly the plugins they need
    allowed = os.environ.get("CLAIMTRACK_LOAD_PLUGINS")
    if allowed is None:
        pm.load_setuptools_entrypoints("claimtrack")
        return
    for name in filter(None, (part.strip() for part in allowed.split(","))):
        pm.load_setuptools_entrypoints("claimtrack", name=name)


def _collect(hook: Any) -> dict[str, Any]:
    backends: dict[str, Any] = {}

    def register(backend: Any, aliases: tuple[str, ...] = ()) -> None:
        for name in (backend.name, *aliases):
            backends[name] = backend

    hook(register=register)
    return backends


def get_extractors() -> dict[str, Extractor]:
    """Return every registered extractor by name and alias."""
    load_plugins()
    return _collect(pm.hook.register_extractors)


def get_embedders() -> dict[str, Embedder]:
    """Return every registered embedder by model id and alias."""
    load_plugins()
    return _collect(pm.hook.register_embedders)


def get_extractor(name: str) -> Extractor:
    """Return the extractor registered under name or alias.

    Raises:
        UnknownBackendError: nothing is registered under that name.
    """
    extractors = get_extractors()
    if name not in extractors:
        raise UnknownBackendError(
            f"Unknown extractor {name!r}. Available: {', '.join(sorted(extractors))}. "
            "Install a plugin that provides it, or run 'claimtrack extractors'."
        )
    return extractors[name]


def get_embedder(name: str) -> Embedder:
    """Return the embedder registered under name or alias.

    A name that is not registered but looks like a sentence-transformers model (a local
    folder, or an ``org/model`` name available offline) is loaded through
    sentence-transformers.

    Raises:
        UnknownBackendError: nothing is registered under that name.
    """
    embedders = get_embedders()
    if name in embedders:
        return embedders[name]
    if os.path.isdir(name) or "/" in name:
        from claimtrack.embed import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(name)
    raise UnknownBackendError(
        f"Unknown embedder {name!r}. Available: {', '.join(sorted(embedders))}. "
        "Give a sentence-transformers model folder, or run 'claimtrack embedders'."
    )
