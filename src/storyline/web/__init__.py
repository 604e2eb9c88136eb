"""The web layer: a REST API and a web app over :class:`storyline.desk.Desk`, served by one
process (see :mod:`storyline.web.api` and :mod:`storyline.web.pages`).

Only ``api.py``, ``pages.py`` and ``errors.py`` import the web framework; the other modules here (views, SVG
pictures, caches, background linking, limits, rules) are plain Python, so that importing this
package (or the ``storyline`` command) does not load FastAPI.
"""
