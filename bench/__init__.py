"""``make bench``: how fast Tremplin is at département scale (DESIGN.md: never in the tests).

``python -m bench`` (``bench/__main__.py``) measures each database in its own subprocess,
because Django reads DATABASE_URL when it starts: a SQLite file under ``var/bench/`` (never
the development database) and PostgreSQL when a server answers (DATABASE_URL's server, or
127.0.0.1:5432), in a database of its own, ``tremplin_bench``. In each, ``bench/run.py``
migrates, generates the data once (kept for the next run), then calls every benchmark.

Adding a benchmark: write ``bench/<topic>.py`` with functions decorated by
``@benchmark`` (``bench/core.py``); each takes the ``BenchContext`` and returns
``Measurement`` rows. ``bench.run`` imports every module of this package, so nothing else
needs editing. ``bench/registry.py`` (the beneficiary list and search) is the example.
"""
