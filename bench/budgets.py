"""The budgets of the scale work (issue « Many users at once, at département scale »), each
with the figure a bench run measured and whether it is met.

Read from one database's results (``bench.run``'s JSON: the measurements, the facts and the
load test), so that ``make bench`` prints them under each database's table and writes them
into ``var/bench/results.json``. A figure the run did not measure (a quick run without the
load test, a scenario that failed) is shown as such and counts as not met.

The budget of the référent's pages is a p95: it is judged on the load test's pages sent one
at a time through gunicorn (the time a user waits for the page), with the query count of the
quiet measure (Django's test client) and the p95 under the mixed load shown next to it. Under
that load, 8 clients without a pause share 2 cores, so every answer waits for the others' work
too: that p95 follows the mix's rate, which the mixed load's own budget (rate and p95) judges
(decision 64).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

REFERENT = "référent·e"
AGENT = "agent du département"
LOAD_RATE = {"sqlite": 100, "postgresql": 200}  # requests per second, loopback
LOAD_P95_MS = 250  # on PostgreSQL
PAGE_P95_MS = 100


@dataclass(frozen=True)
class Budget:
    measure: str
    budget: str
    figure: str
    met: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _number(value: float, decimals: int = 0) -> str:
    """French figures: a narrow no-break space between thousands, a decimal comma."""
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _measurement(result: dict, prefix: str, role: str | None = None) -> dict | None:
    for measurement in result.get("measurements", []):
        if measurement["name"].startswith(prefix) and (role is None or measurement["role"] == role):
            return measurement
    return None


def _load_page(result: dict, role: str, page: str, part: str = "pages") -> dict | None:
    load = result.get("load") or {}
    for row in load.get(part) or []:
        if row["role"] == role and row["page"] == page:
            return row
    return None


NOT_MEASURED = "non mesuré"


def _referent_page(result: dict, label: str, prefix: str, page: str) -> Budget:
    quiet = _measurement(result, prefix, REFERENT)
    alone = _load_page(result, REFERENT, page, "alone")
    loaded = _load_page(result, REFERENT, page)
    parts = []
    if alone:
        parts.append(f"p95 {_number(alone['p95_ms'])} ms (une requête à la fois)")
    if quiet:
        parts.append(f"{quiet['queries']} requêtes SQL")
    if loaded:
        parts.append(f"sous la charge mêlée : p95 {_number(loaded['p95_ms'])} ms")
    return Budget(
        measure=f"{label} du référent (100 000 personnes, 60 suivies)",
        budget=f"p95 < {PAGE_P95_MS} ms, requêtes en nombre constant",
        figure=" ; ".join(parts) or NOT_MEASURED,
        met=bool(alone) and alone["errors"] == 0 and alone["p95_ms"] < PAGE_P95_MS,
    )


def _timed(
    result: dict, measure: str, budget: str, prefix: str, role: str | None, limit_ms: float
) -> Budget:
    found = _measurement(result, prefix, role)
    if not found:
        return Budget(measure, budget, NOT_MEASURED, False)
    figure = f"{_number(found['page_ms'])} ms"
    if found.get("queries") is not None:
        figure += f" ({found['queries']} requêtes SQL)"
    return Budget(measure, budget, figure, found["page_ms"] < limit_ms)


def _dashboard(result: dict) -> Budget:
    """Counted afresh (« Recalculer »), as the first load of the day; the kept copy that the
    next loads read is shown next to it."""
    fresh = _measurement(result, "Tableau de bord des indicateurs, année 2025, recalculé", AGENT)
    kept = _measurement(result, "Tableau de bord des indicateurs, année 2025 (", AGENT)
    parts = []
    if fresh:
        parts.append(
            f"recalculé : {_number(fresh['page_ms'])} ms ({fresh['queries']} requêtes SQL)"
        )
    if kept:
        parts.append(f"gardé : {_number(kept['page_ms'])} ms")
    return Budget(
        "Tableau de bord du département (agent, une année)",
        "< 300 ms",
        " ; ".join(parts) or NOT_MEASURED,
        bool(fresh) and fresh["page_ms"] < 300,
    )


def budgets(result: dict) -> list[Budget]:
    """Every budget of the scale work, for one database's results."""
    vendor = result.get("vendor", "")
    rows = [
        _referent_page(result, "Accueil", "Accueil du référent", "Accueil"),
        _referent_page(
            result, "Dossier d'une personne", "Dossier d'une personne", "Dossier d'une personne"
        ),
        _referent_page(
            result, "Liste des personnes", "Liste, 1re page (tri par nom)", "Liste des personnes"
        ),
        _referent_page(result, "Recherche par nom", "Recherche par nom", "Recherche par nom"),
        _dashboard(result),
    ]
    rate = result.get("facts", {}).get("aid_schedule_months_per_second")
    rows.append(
        Budget(
            "Calendriers d'aide (règles seules)",
            "≥ 200 000 mois-convention/s",
            f"{_number(rate)} mois/s" if rate else NOT_MEASURED,
            bool(rate) and rate >= 200_000,
        )
    )
    rows.append(
        _timed(
            result,
            "Liste des paiements d'un mois, 20 000 conventions",
            "< 2 s",
            "Paiements de",
            None,
            2000,
        )
    )
    job = _measurement(result, "Tâche quotidienne des échéances, envoi")
    rows.append(
        Budget(
            "Tâche quotidienne des échéances, 20 000 accompagnements ouverts",
            "< 5 s, requêtes par lot et non par message",
            (
                f"{_number(job['page_ms'] / 1000, 1)} s, {job['queries']} requêtes SQL pour "
                f"{job['details'].get('emails', '?')} messages"
            )
            if job
            else NOT_MEASURED,
            bool(job)
            and job["page_ms"] < 5000
            and job["queries"] < job["details"].get("emails", 0),
        )
    )
    export = _measurement(result, "Export XLSX de")
    rows.append(
        Budget(
            "Export XLSX de 100 000 lignes",
            "< 10 s, mémoire maximale < 300 Mo",
            (
                f"{_number(export['page_ms'] / 1000, 1)} s, "
                f"{_number(export['details'].get('peak_memory_mib', 0), 1)} Mio alloués "
                "par Python au plus"
            )
            if export
            else NOT_MEASURED,
            bool(export)
            and export["page_ms"] < 10_000
            and export["details"].get("peak_memory_mib", 300) < 300,
        )
    )
    imported = _measurement(result, "Import de")
    rows.append(
        Budget(
            "Import d'une liste de 100 000 personnes (première fois)",
            "< 60 s, mémoire maximale < 300 Mo",
            (
                f"{_number(imported['page_ms'] / 1000, 1)} s, "
                f"{_number(imported['details'].get('peak_mb', 0))} Mo au plus"
            )
            if imported
            else NOT_MEASURED,
            bool(imported)
            and imported["page_ms"] < 60_000
            and imported["details"].get("peak_mb", 300) < 300,
        )
    )
    load = result.get("load")
    rate_budget = LOAD_RATE.get(vendor, 100)
    wanted = f"≥ {rate_budget} requêtes/s, 0 erreur"
    if vendor == "postgresql":
        wanted += f", p95 < {LOAD_P95_MS} ms"
    if load:
        met = (
            load["requests_per_second"] >= rate_budget
            and load["errors"] == 0
            and load.get("warmup_errors", 0) == 0
        )
        if vendor == "postgresql":
            met = met and load["p95_ms"] < LOAD_P95_MS
        figure = (
            f"{_number(load['requests_per_second'], 1)} requêtes/s, {load['errors']} erreur"
            f"{'s' if load['errors'] > 1 else ''}, p95 {_number(load['p95_ms'])} ms"
        )
    else:
        met, figure = False, NOT_MEASURED
    rows.append(Budget("Charge mêlée (8 clients, boucle locale)", wanted, figure, met))
    return rows


def print_budgets(label: str, result: dict) -> None:
    rows = budgets(result)
    met = sum(row.met for row in rows)
    print()
    print(f"Budgets ({label}) : {met} tenu{'s' if met > 1 else ''} sur {len(rows)}")
    header = ("Mesure", "Budget", "Mesuré", "Tenu ?")
    lines = [(row.measure, row.budget, row.figure, "oui" if row.met else "NON") for row in rows]
    widths = [max(len(line[i]) for line in (header, *lines)) for i in range(len(header))]
    for index, line in enumerate((header, *lines)):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
