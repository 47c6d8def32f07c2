"""Publishing a claim database through Datasette: metadata and the Datasette plugin."""
