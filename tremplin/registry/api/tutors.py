"""Tutors, read-only: they are managed on the employer's page. A tutor is a person (name,
function, e-mail, telephone): each one given out is a view in the audit log."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from tremplin.accounts import audit
from tremplin.registry.models import Tutor
from tremplin.web.api.errors import ErrorOut, ValidationErrorOut
from tremplin.web.api.pagination import paginate

from .schemas import TutorFilterParams, TutorOut, TutorPage

router = Router(tags=["Tuteurs"])


def visible_tutors(request):
    return Tutor.objects.visible_to(request.user).select_related("employer")


@router.get(
    "",
    response={200: TutorPage, 422: ValidationErrorOut},
    summary="Lister les tuteurs",
    description="Les tuteurs des employeurs que vous voyez ; ?employer= pour un seul employeur. "
    "Chaque tuteur renvoyé est inscrit au journal d'audit comme consulté.",
)
def list_tutors(request, params: Query[TutorFilterParams]):
    queryset = visible_tutors(request)
    if params.employer is not None:
        queryset = queryset.filter(employer_id=params.employer)
    page = paginate(queryset, params.page, params.page_size)
    audit.record_views(page["results"])
    return page


@router.get(
    "/{id}",
    response={200: TutorOut, 404: ErrorOut},
    summary="Lire la fiche d'un tuteur",
    description="Chaque lecture est inscrite au journal d'audit.",
)
def read_tutor(request, id: int):
    tutor = get_object_or_404(visible_tutors(request), pk=id)
    audit.record_view(tutor)
    return tutor
