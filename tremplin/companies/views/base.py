"""What the company-relations pages share: the form page of a record."""

from __future__ import annotations

from tremplin.web.form_pages import form_page

FORM_TEMPLATE = "companies/form.html"


def record_form_page(
    request, form, *, title, cancel_url, success, breadcrumb=(), intro="", save=None
):
    """The form of a record: saved (by ``save``, the app's service, when the record touches
    other rows), then its own page; refused, the form again as typed."""
    return form_page(
        request,
        form,
        FORM_TEMPLATE,
        {"title": title, "cancel_url": cancel_url, "breadcrumb": breadcrumb, "intro": intro},
        save=save,
        success=success,
    )
