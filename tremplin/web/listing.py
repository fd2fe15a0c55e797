"""Lists with search, sorting and pagination, shared by every list page."""

from django.conf import settings
from django.core.paginator import Paginator


class SearchSortPaginateMixin:
    """For ListView: ``?q=`` searches, ``?tri=`` sorts on a whitelisted key, ``?page=``.

    ``sort_options`` maps a public key to (label, ordering fields); a leading "-" on the key
    reverses it. The queryset method ``search(text)`` does the searching.
    """

    sort_options: dict[str, tuple[str, tuple[str, ...]]] = {}
    default_sort = ""

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
        return self.apply_sort(queryset.search(self.search_text()))

    def apply_sort(self, queryset):
        """The ``?tri=`` ordering alone, for lists that search their own way."""
        key, descending = self.current_sort()
        fields = self.sort_options[key][1]
        if descending:
            fields = tuple(f[1:] if f.startswith("-") else "-" + f for f in fields)
        return queryset.order_by(*fields, "-id" if descending else "id")

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        return Paginator(queryset, per_page, orphans=orphans, allow_empty_first_page=True)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key, descending = self.current_sort()
        context.update(
            search_text=self.search_text(),
            sort_key=key,
            sort_descending=descending,
            sort_columns=[
                {"key": k, "label": label, "active": k == key, "descending": descending}
                for k, (label, _) in self.sort_options.items()
            ],
        )
        return context
