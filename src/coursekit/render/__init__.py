"""The one exercise renderer: the ES module in ``static/`` drawn in JupyterLab (anywidget) and in the book
(self-contained HTML), the specification it receives, figures, and topic interactives' base."""
