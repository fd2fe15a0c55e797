"""Run every benchmark against ONE database, in this process (``bench/__main__.py`` calls it).

    python -m bench.run --database-url sqlite:///var/bench/x.sqlite3 --beneficiaries 100000 \
        --output var/bench/sqlite.json

Migrates, generates the data when the database is empty (and records how fast the
generator went), reuses it when it already holds the requested number of people, and
exits with WRONG_SIZE_EXIT_CODE when it holds another number: the caller recreates the
database. Results go to ``--output`` as JSON.
"""

import argparse
import datetime
import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

WRONG_SIZE_EXIT_CODE = 3
INFRASTRUCTURE_MODULES = {"__main__", "core", "run", "load"}


def import_benchmark_modules() -> None:
    """Import every module of the ``bench`` package: their ``@benchmark`` functions register."""
    import bench

    for module in pkgutil.iter_modules(bench.__path__):
        if module.name not in INFRASTRUCTURE_MODULES:
            importlib.import_module(f"bench.{module.name}")


def prepare_data(beneficiaries: int, seed: int, generation_file: Path) -> dict:
    """The generator's figures: measured now, or read from the run that generated the data."""
    from django.db import connection

    from tremplin.demo.management.commands.generate_data import generate_data
    from tremplin.registry.models import Beneficiary

    existing = Beneficiary.objects.count()
    if existing == beneficiaries and generation_file.exists():
        return {**json.loads(generation_file.read_text()), "reused": True}
    if existing:
        print(
            f"La base contient {existing} bénéficiaires, et non {beneficiaries} : elle doit "
            "être recréée.",
            file=sys.stderr,
        )
        sys.exit(WRONG_SIZE_EXIT_CODE)
    print(f"Génération de {beneficiaries} bénéficiaires ({connection.vendor})…", flush=True)
    result = generate_data(
        beneficiaries=beneficiaries, seed=seed, write=lambda line: print(line, flush=True)
    )
    generation = {
        "beneficiaries": result.beneficiaries,
        "employers": result.employers,
        "tutors": result.tutors,
        "seconds": round(result.seconds, 2),
        "beneficiaries_per_second": round(result.beneficiaries_per_second),
        "generated_on": datetime.date.today().isoformat(),
    }
    generation_file.write_text(json.dumps(generation, indent=2))
    return {**generation, "reused": False}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--beneficiaries", type=int, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument(
        "--load-requests", type=int, default=600, help="requêtes du test de charge (0 : aucun)"
    )
    parser.add_argument("--load-concurrency", type=int, default=8)
    args = parser.parse_args(argv)

    # Settings read DATABASE_URL when Django starts: set it before anything imports them.
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    # The test client's host, without touching the real settings.
    os.environ["TREMPLIN_ALLOWED_HOSTS"] = "testserver"
    # A development tool: the keys of var/ (a server refuses them), and pages
    # timed with force_login, which skips the second factor.
    os.environ.setdefault("TREMPLIN_LOCAL_KEYS", "1")
    os.environ.setdefault("TREMPLIN_OTP_REQUIRED", "0")
    # Jobs (large exports, PDFs) done at once in this process: their time is measured.
    os.environ.setdefault("TREMPLIN_HUEY_IMMEDIATE", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.core import BENCHMARKS, BenchContext

    call_command("migrate", verbosity=0, interactive=False)
    planner = production_planner(connection)
    generation = prepare_data(
        args.beneficiaries,
        args.seed,
        # One per size: a quick run at 2,000 people must not stand for the 100,000's figures.
        args.output.with_name(f"generation-{args.output.stem}-{args.beneficiaries}.json"),
    )
    # Fresh statistics for the query planner: without them, PostgreSQL chose plans 30 times
    # slower on the dashboard right after the data was generated.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = round(time.perf_counter() - started, 2)
    context = BenchContext(runs=args.runs, beneficiaries=args.beneficiaries)
    import_benchmark_modules()
    measurements = []
    for function in BENCHMARKS:
        print(f"Mesure : {function.__name__} ({connection.vendor})…", flush=True)
        measurements += [m.as_dict() for m in function(context)]
    load = None
    if args.load_requests:
        from bench.load import load_test

        print(f"Test de charge : gunicorn sur 127.0.0.1 ({connection.vendor})…", flush=True)
        connection.close()
        load = load_test(
            args.database_url,
            args.output.with_name(f"gunicorn-{args.output.stem}.log"),
            requests_total=args.load_requests,
            concurrency=args.load_concurrency,
        )
    args.output.write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "server_version": _server_version(connection),
                "beneficiaries": args.beneficiaries,
                "runs": args.runs,
                "generation": generation,
                "analyze_seconds": analyze_seconds,
                "planner": planner,
                "load": load,
                "facts": context.facts,
                "measurements": measurements,
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )


# The README's production section: on PostgreSQL, a random read costs about a sequential
# one (SSDs, or a département's data kept in memory); the server's default (4) is for disks.
RANDOM_PAGE_COST = "1.1"


def production_planner(connection) -> dict:
    """The planner's settings the README advises for production, set on the bench's own
    database (for the load test's server too, whose connections are new) and on this
    session."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET random_page_cost = {RANDOM_PAGE_COST}")
        cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
    print(f"PostgreSQL : random_page_cost = {RANDOM_PAGE_COST} (README, production).")
    return {"random_page_cost": RANDOM_PAGE_COST}


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
