"""The core: the exercise model, scoring, feedback text, the answers store and the course's settings.

It imports nothing else from coursekit; every other layer builds on it."""
