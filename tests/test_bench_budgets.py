"""The budgets ``make bench`` prints under each database's table (``bench.budgets``): each
budget of the scale work with its figure, met or not, and « non mesuré » when the run did
not measure it."""

from bench.budgets import NOT_MEASURED, budgets


def measurement(name, role, page_ms, queries=None, **details):
    return {"name": name, "role": role, "page_ms": page_ms, "queries": queries, "details": details}


REFERENT_PAGES = ("Accueil", "Dossier d'une personne", "Liste des personnes", "Recherche par nom")


def result(
    vendor="sqlite",
    *,
    load_rate=120.0,
    load_p95=200.0,
    errors=0,
    referent_p95=150.0,
    alone_p95=30.0,
    alone_errors=0,
):
    return {
        "vendor": vendor,
        "facts": {"aid_schedule_months_per_second": 250_000},
        "measurements": [
            measurement("Accueil du référent (60 personnes accompagnées)", "référent·e", 40, 11),
            measurement("Liste, 1re page (tri par nom)", "référent·e", 10, 5),
            measurement("Dossier d'une personne (celle du test de charge)", "référent·e", 14, 12),
            measurement("Recherche par nom", "référent·e", 9, 5),
            measurement(
                "Tableau de bord des indicateurs, année 2025 (20000 accompagnements)",
                "agent du département",
                20,
                7,
            ),
            measurement(
                "Tableau de bord des indicateurs, année 2025, recalculé (20000 accompagnements)",
                "agent du département",
                900,
                20,
            ),
            measurement("Paiements de 2026-03, 20000 conventions actives", "administrateur", 1500),
            measurement(
                "Tâche quotidienne des échéances, envoi (22000 ouverts)",
                "tâche",
                2000,
                164,
                emails=644,
            ),
            measurement(
                "Export XLSX de 100000 personnes", "administrateur", 4000, peak_memory_mib=12.0
            ),
            measurement("Import de 100000 lignes (CSV)", "commande", 70_000, peak_mb=200),
        ],
        "load": {
            "requests_per_second": load_rate,
            "errors": errors,
            "p95_ms": load_p95,
            "pages": [
                {"role": "référent·e", "page": page, "p95_ms": referent_p95}
                for page in REFERENT_PAGES
            ],
            "alone": [
                {"role": "référent·e", "page": page, "p95_ms": alone_p95, "errors": alone_errors}
                for page in REFERENT_PAGES
            ],
        },
    }


def verdicts(rows) -> dict[str, bool]:
    return {row.measure.split(" (")[0]: row.met for row in rows}


def test_every_budget_has_its_figure_and_verdict():
    rows = budgets(result())
    met = verdicts(rows)
    assert len(rows) == 11
    assert met["Accueil du référent"] and met["Dossier d'une personne du référent"]
    # The dashboard is judged counted afresh (900 ms), not kept (20 ms).
    assert not met["Tableau de bord du département"]
    assert "recalculé : 900 ms" in rows[4].figure and "gardé : 20 ms" in rows[4].figure
    assert met["Calendriers d'aide"] and met["Liste des paiements d'un mois, 20 000 conventions"]
    assert met["Tâche quotidienne des échéances, 20 000 accompagnements ouverts"]
    assert met["Export XLSX de 100 000 lignes"]
    assert not met["Import d'une liste de 100 000 personnes"]  # 70 s for a budget of 60
    assert met["Charge mêlée"]  # SQLite: 120 requests/s for 100, no error


def test_the_load_budget_depends_on_the_database_and_on_errors():
    assert not verdicts(budgets(result("postgresql")))["Charge mêlée"]  # 120 < 200 req/s
    fast = result("postgresql", load_rate=250.0, load_p95=300.0)
    assert not verdicts(budgets(fast))["Charge mêlée"]  # p95 over 250 ms
    assert verdicts(budgets(result("postgresql", load_rate=250.0)))["Charge mêlée"]
    assert not verdicts(budgets(result(errors=1)))["Charge mêlée"]
    # An error in the untimed warm-up counts too: the server failed a page.
    warmed_badly = result()
    warmed_badly["load"]["warmup_errors"] = 1
    assert not verdicts(budgets(warmed_badly))["Charge mêlée"]


def test_the_referents_pages_are_judged_by_their_p95_one_request_at_a_time():
    # 30 ms alone, 150 ms under the mix (which the mixed load's budget judges): met.
    rows = budgets(result(referent_p95=150.0, alone_p95=30.0))
    assert verdicts(rows)["Liste des personnes du référent"]
    assert rows[2].figure == (
        "p95 30 ms (une requête à la fois) ; 5 requêtes SQL ; sous la charge mêlée : p95 150 ms"
    )
    slow = budgets(result(referent_p95=90.0, alone_p95=120.0))
    assert not verdicts(slow)["Liste des personnes du référent"]
    assert "; 12 requêtes SQL ;" in rows[1].figure  # the file's count, from its quiet measure
    failing = budgets(result(alone_errors=1))
    assert not verdicts(failing)["Accueil du référent"]


def test_without_the_pages_alone_the_referents_pages_are_not_met():
    older = result(referent_p95=50.0)  # a result of the load test before it sent them alone
    del older["load"]["alone"]
    rows = budgets(older)
    assert not verdicts(rows)["Recherche par nom du référent"]
    assert "sous la charge mêlée : p95 50 ms" in rows[3].figure


def test_what_was_not_measured_is_said_and_not_met():
    rows = budgets({"vendor": "sqlite", "measurements": [], "facts": {}, "load": None})
    assert all(row.figure == NOT_MEASURED and not row.met for row in rows)
