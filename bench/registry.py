"""Benchmarks of the registry: the beneficiary list and its search at département scale.

For an administrator (sees everyone), a département agent (the territory: a filter on
every row) and a referent (a portfolio of ~60): the first page sorted by name, page 200,
a search by name and a search by NIR. The page is timed through Django's test client; the
raw SQL is the one the page's own queryset sends (rows of the page, then the paginator's
count), captured and replayed through ``connection.cursor()``.
"""

from urllib.parse import urlencode

from bench.core import BenchContext, Measurement, benchmark, captured_sql, time_page, time_sql

DEEP_PAGE = 200


def bench_users():
    from tremplin.accounts.models import User
    from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN

    referent = (
        User.objects.filter(email__startswith="referent", email__endswith=BENCH_MAIL_DOMAIN)
        .order_by("email")
        .first()
    )
    return {
        "administrateur": User.objects.get(email=f"admin@{BENCH_MAIL_DOMAIN}"),
        "agent du département": User.objects.get(email=f"agent@{BENCH_MAIL_DOMAIN}"),
        "référent·e": referent,
    }


def list_queryset(user, params: dict):
    """The queryset the list page builds for ``user`` and ``params`` (the view's own code)."""
    from django.test import RequestFactory

    from tremplin.registry.views import BeneficiaryList

    request = RequestFactory().get("/", params)
    request.user = user
    view = BeneficiaryList()
    view.setup(request)
    return view.get_queryset()


def page_sql(user, params: dict) -> tuple[tuple, tuple, int]:
    """SQL of the page's rows and of the paginator's count as Django sends them, and the
    number of rows of the page."""
    from django.conf import settings

    queryset = list_queryset(user, params)
    size = settings.TREMPLIN_PAGE_SIZE
    offset = (int(params.get("page", 1)) - 1) * size
    rows = []
    rows_statements = captured_sql(lambda: rows.extend(queryset[offset : offset + size]))
    count_statements = captured_sql(queryset.count)
    if len(rows_statements) != 1 or len(count_statements) != 1:
        raise RuntimeError("La liste devait envoyer une requête de lignes et une de comptage.")
    return rows_statements[0], count_statements[0], len(rows)


@benchmark
def beneficiary_list_and_search(context: BenchContext) -> list[Measurement]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from tremplin.registry.models import Beneficiary

    users = bench_users()
    # Someone every user may see: the referent's first person, by name.
    person = Beneficiary.objects.visible_to(users["référent·e"]).order_by("last_name").first()
    scenarios = [
        ("Liste, 1re page (tri par nom)", {}),
        (f"Liste, page {DEEP_PAGE}", {"page": DEEP_PAGE}),
        ("Recherche par nom", {"q": person.last_name}),
        ("Recherche par NIR", {"q": person.nir}),
    ]
    url = reverse("registry:beneficiary_list")
    measurements = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        visible = Beneficiary.objects.visible_to(user).count()
        for name, params in scenarios:
            if params.get("page", 1) > -(-visible // settings.TREMPLIN_PAGE_SIZE):
                continue  # a referent's portfolio has no page 200
            page_url = f"{url}?{urlencode(params)}"
            page_ms = time_page(client, page_url, context.runs)
            page_queries = len(captured_sql(lambda: client.get(page_url)))  # noqa: B023
            rows_sql, count_sql, rows = page_sql(user, params)
            measurements.append(
                Measurement(
                    name=name,
                    role=role,
                    page_ms=page_ms,
                    sql_rows_ms=time_sql(*rows_sql, context.runs),
                    sql_count_ms=time_sql(*count_sql, context.runs),
                    rows=rows,
                    queries=page_queries,
                    details={"visible": visible, "rows_sql": rows_sql, "count_sql": count_sql},
                )
            )
    return measurements
