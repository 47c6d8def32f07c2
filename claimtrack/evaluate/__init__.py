"""Measure claimtrack on benchmark files: extraction, check-worthiness and retrieval."""
