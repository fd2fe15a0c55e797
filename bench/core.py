"""The registry of benchmarks and the timing helpers they share.

A benchmark times a page as Django serves it (test ``Client``, no network, so the time is
the server's) next to the raw SQL that fetches the same rows (the queryset's own SQL run
through ``connection.cursor()``). Their ratio is the figure to watch: it says how much the
framework, the access rules and the template add to what the database must do anyway.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

BENCHMARKS: list[Callable[["BenchContext"], list["Measurement"]]] = []


def benchmark(function):
    """Register ``function(context) -> list[Measurement]`` to be run by ``bench.run``."""
    BENCHMARKS.append(function)
    return function


@dataclass
class Measurement:
    """One line of the results table; times are medians in milliseconds."""

    name: str
    role: str
    page_ms: float
    sql_rows_ms: float | None = None
    sql_count_ms: float | None = None
    rows: int | None = None
    queries: int | None = None  # SQL statements the page sends
    details: dict = field(default_factory=dict)

    @property
    def sql_ms(self) -> float | None:
        parts = [part for part in (self.sql_rows_ms, self.sql_count_ms) if part is not None]
        return sum(parts) if parts else None

    @property
    def ratio(self) -> float | None:
        return self.page_ms / self.sql_ms if self.sql_ms else None

    def as_dict(self) -> dict:
        return {**asdict(self), "sql_ms": self.sql_ms, "ratio": self.ratio}


@dataclass
class BenchContext:
    runs: int
    beneficiaries: int
    facts: dict = field(default_factory=dict)


def median_ms(function: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall time of ``function`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        function()
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def fresh_statistics() -> None:
    """``ANALYZE`` after a scenario adds its rows: with the statistics of before, SQLite read
    every held meeting (by status) instead of a referent's few (by support) — 580 ms for a
    home page that takes 10 once the planner knows the table's new size."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_page(client, url: str, runs: int) -> float:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} a répondu {response.status_code} au lieu de 200.")
        return response

    return median_ms(get, runs)


def captured_sql(action: Callable[[], object]) -> list[tuple[str, tuple]]:
    """The SQL statements (with their parameters) that ``action`` sends to the database."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return statements


def time_sql(sql: str, params, runs: int) -> float:
    """Median time to run ``sql`` and fetch every row through ``connection.cursor()``."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return median_ms(run, runs)
