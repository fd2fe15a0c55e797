"""Numbered pages of a list: ``{"count", "page", "page_size", "results"}``."""


def paginate(queryset, page: int, page_size: int) -> dict:
    """One COUNT and one SELECT, whatever the page; a page past the end is empty, without a
    query (an offset of 10**20 is more than the database's integers hold)."""
    count = queryset.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": list(queryset[start : start + page_size]) if start < count else [],
    }
