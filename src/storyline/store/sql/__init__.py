"""The SQL stores (SQLite and PostgreSQL): one schema, one set of queries over one connection.

* ``connection`` - the connection wrapper every query goes through, and what differs per dialect;
* ``migrate`` - the schema migrations (``store/schema/*.sql``) and applying them;
* ``rows`` - how records become table rows and back;
* ``articles``, ``analysis``, ``reuse``, ``stories``, ``search`` - the queries of each area;
* ``store`` - ``SQLStore``, the Store implementation that delegates to the query modules.

The backends (``store/sqlite.py``, ``store/postgres.py``) only connect and fill in the dialect.
This package module imports nothing, so that its submodules can never import it in a cycle.
"""
