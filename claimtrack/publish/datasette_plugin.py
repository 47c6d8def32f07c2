"""Datasette plugin: SQL functions that compare stored claim vectors."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from claimtrack.vectors import cosine_similarity, decode_vector


def claimtrack_similarity(a: bytes | None, b: bytes | None) -> float | None:
    """SQL: claimtrack_similarity(vector_a, vector_b) returns cosine similarity, or null."""
    if a is None or b is None:
        return None
    return cosine_similarity(decode_vector(a), decode_vector(b))


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("claimtrack_similarity", 2, claimtrack_similarity, deterministic=True)
