"""Lists with search, filters, sorting and pagination, shared by every list page.

A filter is a ``?key=value`` of the address, so the export links (``{% query_with %}``) and
the pagination keep it. A list names its own filters (``list_filters``); an app above the
list's app adds its own by name from its ``AppConfig.ready()`` (``register_filter``), as the
page sections of ``web.panels`` do: the people's list of the registry filters by programme
without the registry knowing the support.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property

PEOPLE = "registry.beneficiaries"
CONVENTIONS = "conventions.conventions"


class Choices(list):
    """A filter's (value, label) pairs with their ``<option>`` markup, written once.

    A département's agent filters among 1,700 référents: escaping and writing their options
    on every page of the list cost more than the rest of the page. A list of choices kept in
    the cache (``registry.views.files.referent_choices``) keeps its markup with it; the page
    only marks the chosen one (``{% filter_options %}``)."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.options_html = "".join(
            f'<option value="{html.escape(str(value))}">{html.escape(str(label))}</option>'
            for value, label in self
        )


@dataclass(frozen=True)
class ListFilter:
    """One filter of a list: ``?key=value`` among ``choices(request)`` ((value, label)
    pairs), applied by ``apply(queryset, value, request)``. A value not offered is ignored."""

    key: str
    label: str
    choices: Callable[..., list[tuple[str, str]]]
    apply: Callable[..., object]
    order: int = 100


_registered: dict[str, list[ListFilter]] = {}


def register_filter(list_name: str, list_filter: ListFilter) -> None:
    """Add ``list_filter`` to the list ``list_name`` (registering a key twice replaces it)."""
    known = [f for f in _registered.get(list_name, []) if f.key != list_filter.key]
    _registered[list_name] = sorted([*known, list_filter], key=lambda f: f.order)


def registered_filters(list_name: str) -> list[ListFilter]:
    return list(_registered.get(list_name, []))


class KnownCountPaginator(Paginator):
    """A paginator given its count (``SearchSortPaginateMixin.known_count``)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known


class SearchSortPaginateMixin:
    """For ListView: ``?q=`` searches, ``?tri=`` sorts on a whitelisted key, ``?page=``.

    ``sort_options`` maps a public key to (label, ordering fields); a leading "-" on the key
    reverses it. The queryset method ``search(text)`` does the searching.

    ``page_columns``: the fields the page's rows show (``only()``), when they are fewer than
    the model's; a row then reads a dozen columns instead of every column of three tables.
    Exports read their own columns.
    """

    sort_options: dict[str, tuple[str, tuple[str, ...]]] = {}
    page_columns: tuple[str, ...] = ()
    default_sort = ""
    list_name = ""
    list_filters: tuple[ListFilter, ...] = ()

    def filters(self) -> list[ListFilter]:
        own = list(self.list_filters)
        return sorted(own + registered_filters(self.list_name), key=lambda f: f.order)

    def filter_state(self) -> list[dict]:
        """Each filter with its choices and the value chosen ("" when none or not offered);
        the choices are computed once per request."""
        if not hasattr(self, "_filter_state"):
            state = []
            for list_filter in self.filters():
                choices = list_filter.choices(self.request)
                value = self.request.GET.get(list_filter.key, "")
                if value not in {choice for choice, _ in choices}:
                    value = ""
                state.append({"filter": list_filter, "choices": choices, "value": value})
            self._filter_state = state
        return self._filter_state

    def apply_filters(self, queryset):
        for item in self.filter_state():
            if item["value"]:
                queryset = item["filter"].apply(queryset, item["value"], self.request)
        return queryset

    def get_paginate_by(self, queryset):
        return settings.TREMPLIN_PAGE_SIZE

    def current_sort(self) -> tuple[str, bool]:
        raw = self.request.GET.get("tri", self.default_sort)
        descending = raw.startswith("-")
        key = raw.lstrip("-")
        if key not in self.sort_options:
            key, descending = self.default_sort.lstrip("-"), self.default_sort.startswith("-")
        return key, descending

    def search_text(self) -> str:
        return self.request.GET.get("q", "").strip()

    def apply_search_and_sort(self, queryset):
        return self.apply_sort(self.apply_filters(queryset.search(self.search_text())))

    def apply_sort(self, queryset):
        """The ``?tri=`` ordering alone, for lists that search their own way."""
        key, descending = self.current_sort()
        fields = self.sort_options[key][1]
        if descending:
            fields = tuple(f[1:] if f.startswith("-") else "-" + f for f in fields)
        return queryset.order_by(*fields, "-id" if descending else "id")

    def known_count(self) -> int | None:
        """The number of rows, when the view knows it without counting them (a kept count,
        ``web.kept``); None: the paginator counts them."""
        return None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        known = self.known_count()
        if known is not None:
            return KnownCountPaginator(queryset, per_page, count=known, orphans=orphans)
        return Paginator(queryset, per_page, orphans=orphans, allow_empty_first_page=True)

    def paginate_queryset(self, queryset, page_size):
        if self.page_columns:
            queryset = queryset.only(*self.page_columns)
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key, descending = self.current_sort()
        state = self.filter_state()
        context.update(
            list_filters=[
                {
                    "key": item["filter"].key,
                    "label": item["filter"].label,
                    "choices": item["choices"],
                    "value": item["value"],
                }
                for item in state
            ],
            filtered=any(item["value"] for item in state),
            search_text=self.search_text(),
            sort_key=key,
            sort_descending=descending,
            sort_columns=[
                {"key": k, "label": label, "active": k == key, "descending": descending}
                for k, (label, _) in self.sort_options.items()
            ],
        )
        return context
