"""One module per CLI command that needs more than a few lines."""
