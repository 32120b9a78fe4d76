"""The topics' own models and interactives, one module each; notebooks import them by name."""
