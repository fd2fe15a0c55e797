"""``python -m bench`` (``make bench``): every benchmark on SQLite, then on PostgreSQL.

    python -m bench [--beneficiaries 100000] [--runs 7] [--only sqlite|postgresql] [--fresh]
                    [--load-requests 600] [--load-concurrency 8]

Each database is measured by ``bench.run`` in a subprocess with its own DATABASE_URL, then
loaded through the project's gunicorn on loopback (``bench.load``). The data is generated
once, analysed (``ANALYZE``) and kept (``var/bench/``, database ``tremplin_bench``) for the next
run; ``--fresh`` recreates it. Prints one table per database and writes
``var/bench/results.json``.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.budgets import budgets, print_budgets
from bench.run import WRONG_SIZE_EXIT_CODE

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_DATABASE = "tremplin_bench"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


# --- the databases ------------------------------------------------------------------------


class SqliteTarget:
    name = "sqlite"
    label = "SQLite"

    def __init__(self, beneficiaries: int):
        self.path = BENCH_DIR / f"tremplin-bench-{beneficiaries}.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def available(self) -> str | None:
        return None

    def recreate(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def ensure_exists(self) -> None:
        pass


class PostgresTarget:
    """``tremplin_bench`` on DATABASE_URL's server when it is PostgreSQL, else 127.0.0.1."""

    name = "postgresql"
    label = "PostgreSQL"

    def __init__(self):
        server_url = os.environ.get("DATABASE_URL", "")
        if not server_url.startswith(("postgres://", "postgresql://")):
            server_url = DEFAULT_POSTGRES_URL
        parts = urlsplit(server_url)
        self.maintenance_url = urlunsplit(parts._replace(path="/postgres"))
        self.url = urlunsplit(parts._replace(path=f"/{POSTGRES_DATABASE}"))
        self.server = parts.hostname or "localhost"

    def _connect(self):
        import psycopg

        return psycopg.connect(self.maintenance_url, autocommit=True, connect_timeout=3)

    def available(self) -> str | None:
        try:
            with self._connect():
                return None
        except Exception as error:  # any failure means: no PostgreSQL to measure
            return f"serveur {self.server} injoignable ({str(error).strip().splitlines()[0]})"

    def _exists(self, connection) -> bool:
        return bool(
            connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [POSTGRES_DATABASE]
            ).fetchone()
        )

    def recreate(self) -> None:
        with self._connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')

    def ensure_exists(self) -> None:
        with self._connect() as connection:
            if not self._exists(connection):
                connection.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')


# --- running and reporting ----------------------------------------------------------------


def measure(target, args) -> dict:
    output = BENCH_DIR / f"{target.name}.json"
    output.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": target.url,
        # Keys and secrets of the benchmark databases live with them, away from var/.
        "TREMPLIN_VAR_DIR": str(BENCH_DIR),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable,
        "-m",
        "bench.run",
        "--database-url",
        target.url,
        "--beneficiaries",
        str(args.beneficiaries),
        "--runs",
        str(args.runs),
        "--output",
        str(output),
        "--load-requests",
        str(args.load_requests),
        "--load-concurrency",
        str(args.load_concurrency),
    ]
    if args.fresh:
        target.recreate()
    else:
        target.ensure_exists()
    completed = subprocess.run(command, env=env, cwd=ROOT)
    if completed.returncode == WRONG_SIZE_EXIT_CODE:
        print(f"{target.label} : base recréée pour {args.beneficiaries} bénéficiaires.")
        target.recreate()
        completed = subprocess.run(command, env=env, cwd=ROOT)
    if completed.returncode != 0:
        return None
    return json.loads(output.read_text())


def french(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def print_table(label: str, result: dict) -> None:
    generation = result["generation"]
    print()
    print(
        f"{label} {result['server_version']} — {french(result['beneficiaries'], 0)} "
        f"bénéficiaires, médiane de {result['runs']} mesures (ms)"
    )
    header = ("Mesure", "Rôle", "Page", "SQL lignes", "SQL compte", "Page / SQL", "Requêtes")
    rows = [
        (
            m["name"],
            m["role"],
            french(m["page_ms"]),
            french(m["sql_rows_ms"]),
            french(m["sql_count_ms"]),
            french(m["ratio"]),
            str(m["queries"] or "—"),
        )
        for m in result["measurements"]
    ]
    _print_table(header, rows)
    reused = (
        f" (données réutilisées, générées le {generation.get('generated_on', '?')})"
        if generation.get("reused")
        else ""
    )
    print(
        f"Générateur : {french(generation['beneficiaries'], 0)} bénéficiaires, "
        f"{french(generation['employers'], 0)} employeurs et {french(generation['tutors'], 0)} "
        f"tuteurs en {french(generation['seconds'])} s, soit "
        f"{french(generation['beneficiaries_per_second'], 0)} bénéficiaires/s{reused}."
    )


def print_load(load: dict | None) -> None:
    if not load:
        return
    print()
    print(
        f"Test de charge (gunicorn sur 127.0.0.1, {load['concurrency']} clients) : "
        + (
            f"après {load['warmup_requests']} requêtes de mise en route non chronométrées "
            f"({load['warmup_errors']} erreur(s)), "
            if load.get("warmup_requests")
            else ""
        )
        + f"{load['requests']} requêtes en {french(load['seconds'])} s, soit "
        f"{french(load['requests_per_second'])} requêtes/s ; {load['errors']} erreur(s), "
        f"{load.get('retries', 0)} requête(s) renvoyée(s) après une connexion fermée ; "
        f"p50 {french(load['p50_ms'])} ms, p95 {french(load['p95_ms'])} ms, "
        f"p99 {french(load['p99_ms'])} ms"
    )
    if load.get("server_cpu_ms_per_request"):
        server, cores = load["server_cpu_ms_per_request"], load["cores"]
        print(
            f"Temps de processeur par requête : serveur {french(server)} ms, client "
            f"{french(load['client_cpu_ms_per_request'])} ms (sur les mêmes {cores} cœurs) ; "
            f"le serveur seul sur ces cœurs servirait au plus "
            f"{french(cores * 1000 / server, 0)} requêtes/s."
        )
    header = ("Page", "Rôle", "Requêtes", "Erreurs", "p50", "p95", "p99")
    rows = [
        (
            page["page"],
            page["role"],
            str(page["requests"]),
            str(page["errors"])
            + (f" ({', '.join(page['error_kinds'])})" if page["errors"] else ""),
            french(page["p50_ms"]),
            french(page["p95_ms"]),
            french(page["p99_ms"]),
        )
        for page in load["pages"]
    ]
    _print_table(header, rows)
    if load.get("alone"):
        print()
        print("Chaque page seule ensuite, une requête à la fois (le serveur ne sert qu'elle) :")
        header = ("Page", "Rôle", "Requêtes", "Erreurs", "p50", "p95")
        rows = [
            (
                page["page"],
                page["role"],
                str(page["requests"]),
                str(page["errors"]),
                french(page["p50_ms"]),
                french(page["p95_ms"]),
            )
            for page in load["alone"]
        ]
        _print_table(header, rows)


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Two columns of text on the left, figures on the right."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for index, row in enumerate((header, *rows)):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Mesures de performance de Tremplin."
    )
    parser.add_argument("--beneficiaries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="mesures par ligne (médiane)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--fresh", action="store_true", help="recrée les bases au lieu de les réutiliser"
    )
    parser.add_argument(
        "--load-requests",
        type=int,
        default=600,
        help="requêtes du test de charge sur gunicorn (0 : pas de test de charge)",
    )
    parser.add_argument("--load-concurrency", type=int, default=8, help="clients simultanés")
    args = parser.parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)

    targets = [SqliteTarget(args.beneficiaries), PostgresTarget()]
    results = {}
    skipped = {}
    failed = {}
    for target in targets:
        if args.only and target.name != args.only:
            continue
        problem = target.available()
        if problem:
            skipped[target.name] = problem
            print(f"{target.label} non mesuré : {problem}.")
            continue
        result = measure(target, args)
        if result is None:
            failed[target.name] = "la mesure a échoué (voir la sortie ci-dessus)"
            print(f"{target.label} : la mesure a échoué (voir la sortie ci-dessus).")
        else:
            results[target.name] = result
    for target in targets:
        if target.name in results:
            print_table(target.label, results[target.name])
            print_load(results[target.name].get("load"))
            print_budgets(target.label, results[target.name])
            results[target.name]["budgets"] = [
                budget.as_dict() for budget in budgets(results[target.name])
            ]
    summary = {
        "measured_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processors": os.cpu_count(),
        },
        "beneficiaries": args.beneficiaries,
        "databases": results,
        "skipped": skipped,
        "failed": failed,
    }
    path = BENCH_DIR / "results.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\nRésultats écrits dans {path.relative_to(ROOT)}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
