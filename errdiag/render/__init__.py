"""Renderers: a Result (or an Entry) in, text out. They compute nothing and print only where told."""

FORMATS = ("rich", "plain", "json", "markdown", "github", "sarif")
