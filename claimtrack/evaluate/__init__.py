"""Evaluate claimtrack against benchmark data: metrics and loaders, no CLI."""
