"""The aid-rate orders (rules E1, E6, E12): entered by the département's agents and the
administrators, without a release; the orders shipped with the product are listed too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Territory
from tremplin.rules import aid
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.dates import french_date
from tremplin.web.form_pages import NOT_SAVED, form_error, save_in_savepoint

from ..forms import AidOrderForm, aid_category_formset
from ..models import AidOrder


def order_regions(user) -> dict[str, str]:
    """The regions where ``user`` may enter an order: their territories' (all for an admin)."""
    scope = scope_of(user)
    territories = Territory.objects.all()
    if not scope.is_admin:
        territories = territories.filter(pk__in=scope.agent_territory_ids)
    return dict(territories.values_list("region_code", "region_name"))


def require_order_rights(user) -> dict[str, str]:
    regions = order_regions(user)
    if not regions:
        raise PermissionDenied(
            "Les arrêtés fixant les taux d'aide sont saisis par les agents du département et "
            "les administrateurs (règle E1)."
        )
    return regions


@login_required
def order_list(request):
    """Every order known to the product, the shipped ones and those entered here (rule E1)."""
    orders = AidOrder.objects.annotate(used_by=Count("conventions")).order_by(
        "region_code", "sector", "-valid_from"
    )
    return render(
        request,
        "conventions/order_list.html",
        {"orders": orders, "may_enter": bool(order_regions(request.user))},
    )


@login_required
def order_detail(request, pk):
    order = get_object_or_404(AidOrder.objects.annotate(used_by=Count("conventions")), pk=pk)
    return render(
        request,
        "conventions/order_detail.html",
        {"order": order, "criteria": aid.CATEGORY_CRITERIA},
    )


def initial_from_order(request) -> tuple[dict, list[dict]]:
    """``?depuis=<id>``: the fields and categories of an existing order, to start from (a
    new order often changes a rate only)."""
    if request.method != "GET" or not ascii_digits(raw := request.GET.get("depuis", "")):
        return {}, []
    source = get_object_or_404(AidOrder, pk=raw)
    initial = {
        name: getattr(source, name)
        for name in AidOrderForm.Meta.fields
        if name not in ("valid_from", "reference", "source", "note")
    }
    categories = [
        {**category, "who": "\n".join(category.get("who", []))} for category in source.categories
    ]
    return initial, categories


def order_saved_message(order) -> str:
    return (
        f"{order.reference} est enregistré : il s'applique aux embauches à partir du "
        f"{french_date(order.valid_from)} dans la région {order.region_name or order.region_code}."
    )


@login_required
def order_create(request):
    """A new order: its categories and rates, weekly-hour bounds, aid durations (rule E12)."""
    regions = require_order_rights(request.user)
    initial, categories_initial = initial_from_order(request)
    formset = aid_category_formset(2 if categories_initial else 6)(
        request.POST or None, prefix="categories", initial=categories_initial or None
    )
    categories = None
    if request.method == "POST" and formset.is_valid():
        categories = formset.categories()
    form = AidOrderForm(
        request.POST or None, regions=regions, categories=categories, initial=initial
    )

    def save():
        order = form.save(commit=False)
        if order.region_code not in regions:
            raise PermissionDenied("Cette région n'est pas celle de votre département.")
        order.save()
        return order

    if request.method == "POST":
        # Invalid categories: the formset says why, the order's own fields are checked too.
        if form.is_valid() and categories is not None:
            order = save_in_savepoint(form, save)
            if order is not NOT_SAVED:
                messages.success(request, order_saved_message(order))
                return redirect("conventions:order_detail", pk=order.pk)
        form_error(request)
    return render(request, "conventions/order_form.html", {"form": form, "formset": formset})
