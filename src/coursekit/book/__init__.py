"""The compiled book: staging the participant release for Jupyter Book, and the Sphinx extensions it uses."""
