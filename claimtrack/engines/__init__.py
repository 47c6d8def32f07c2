"""Engines that run the per-article work (reading, extraction, embedding) elsewhere.

The single writer (:meth:`claimtrack.tracker.Tracker.store_extracted`) still matches
and stores one transaction per article, in order. :mod:`claimtrack.engines.ray_engine`
runs the work on Ray Data actors (``pip install 'claimtrack[ray]'``).
"""
