"""The course's data tables (a Frictionless Data Package shipped in this folder) and their loader."""
