"""The participant's own view across topics: where they stand, and their written work to take home."""
