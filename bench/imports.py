"""Benchmark of the import of a list of people: 100,000 rows (``make bench``).

The list (``tremplin.demo.lists``: valid, fictitious people of the Bas-Rhin, dates as a
French spreadsheet writes them) is generated once into ``var/bench/``. The import runs the
command's own code (``registry.services.import_file``) in a separate process, so that its
peak memory is its own: first the whole list (creations, matched against the people
already in the database: NIR, allocation number, name and birth date), then the same list
again (every row unchanged), in one transaction rolled back at the end so that the
benchmark database keeps its size. Targets: < 60 s and < 300 MB for the first import.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.core import BenchContext, Measurement, benchmark

ROWS = 100_000
ROOT = Path(__file__).resolve().parent.parent


def list_path(rows: int) -> Path:
    from tremplin.demo.lists import write_csv

    directory = Path(os.environ.get("TREMPLIN_VAR_DIR", ROOT / "var" / "bench"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"liste-{rows}.csv"
    if not path.exists():
        write_csv(path, rows, seed=2026)
    return path


@benchmark
def import_a_list(context: BenchContext) -> list[Measurement]:
    rows = min(ROWS, max(context.beneficiaries, 1000))
    path = list_path(rows)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.imports", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"L'import a échoué : {completed.stderr[-2000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    context.facts["import"] = figures
    _vacuum_after_rollback()
    print(
        f"Import de {rows} lignes : {figures['first_s']:.1f} s "
        f"({figures['first_rows_per_s']:.0f} lignes/s, {figures['first']['created']} créées), "
        f"réimport {figures['second_s']:.1f} s ({figures['second']['unchanged']} inchangées), "
        f"mémoire maximale {figures['peak_mb']:.0f} Mo.",
        flush=True,
    )
    return [
        Measurement(
            name=f"Import de {rows} lignes (CSV)",
            role="commande",
            page_ms=figures["first_s"] * 1000,
            rows=rows,
            details=figures,
        ),
        Measurement(
            name=f"Réimport des mêmes {rows} lignes (inchangées)",
            role="commande",
            page_ms=figures["second_s"] * 1000,
            rows=rows,
            details={"peak_mb": figures["peak_mb"]},
        ),
    ]


def _vacuum_after_rollback() -> None:
    """On PostgreSQL the rolled-back import leaves 100,000 dead rows in the people's table and
    its indexes, which the next measures would read (a bitmap scan of an operator's 2,500
    people visited 100,000 index entries). A server's autovacuum clears them; the bench's
    server may have it off, so the bench does it, as production would. SQLite's rollback
    leaves nothing behind."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE après l'import annulé : {time.perf_counter() - started:.1f} s.")


def peak_kib() -> int:
    """This process's peak resident memory, in KiB: the high-water mark of its own memory
    (``VmHWM``). Not ``ru_maxrss``: Linux keeps it across ``execve``, so a process started
    by ``subprocess`` reports at least the RSS of its parent (the benchmark's own, hundreds
    of MB after the other benchmarks) — the figure would not be the import's."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # no /proc: the best there is


def _worker(path: str) -> None:
    """Run in its own process: import twice, roll back, print the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    os.environ.setdefault("TREMPLIN_LOCAL_KEYS", "1")
    import django

    django.setup()
    from django.db import transaction

    from tremplin.accounts.models import Membership, Role
    from tremplin.registry import services
    from tremplin.registry.imports.engine import ImportOptions

    membership = (
        Membership.objects.filter(role=Role.REFERENT).select_related("user", "organisation").first()
    )
    options = ImportOptions(operator=membership.organisation, referent=membership.user)

    class Rollback(Exception):
        pass

    figures = {}
    try:
        with transaction.atomic():
            for name in ("first", "second"):
                started = time.perf_counter()
                with open(path, "rb") as stream:
                    result = services.import_file(stream, options)
                seconds = time.perf_counter() - started
                summary = result.as_dict()
                summary["rejected"] = len(summary["rejected"])
                figures[name] = summary
                figures[f"{name}_s"] = round(seconds, 2)
                figures[f"{name}_rows_per_s"] = round(result.rows / seconds)
            raise Rollback
    except Rollback:
        pass
    figures["peak_mb"] = round(peak_kib() / 1024, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    _worker(sys.argv[1])
