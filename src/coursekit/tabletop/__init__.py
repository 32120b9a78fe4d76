"""Tabletop exercises: a facilitated, multi-team crisis game defined in a data file, played on the hub or solo.

The exercise is data (``exercises/*.yaml``, checked by ``tabletop-exercise.schema.json``); this layer reads it
(:mod:`.model`), applies its rules (:mod:`.engine`: options per role, unanimity for EU measures, consequences
that shape later injects, the debrief), plays it alone (:mod:`.solo`) and runs it for a room as a JupyterHub
service (:mod:`.store`, :mod:`.service`). It sits above the course's other layers and imports only ``core``.
"""
