"""Tutors, read-only: they are managed on the employer's page."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

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
    description="Les tuteurs des employeurs que vous voyez ; ?employer= pour un seul employeur.",
)
def list_tutors(request, params: Query[TutorFilterParams]):
    queryset = visible_tutors(request)
    if params.employer is not None:
        queryset = queryset.filter(employer_id=params.employer)
    return paginate(queryset, params.page, params.page_size)


@router.get(
    "/{id}",
    response={200: TutorOut, 404: ErrorOut},
    summary="Lire la fiche d'un tuteur",
)
def read_tutor(request, id: int):
    return get_object_or_404(visible_tutors(request), pk=id)
