"""The web layer: a REST API over :class:`storyline.desk.Desk` (see :mod:`storyline.web.api`).

Only ``api.py`` imports the web framework; the other modules here are plain Python, so that
importing this package (or the ``storyline`` command) does not load FastAPI.
"""
