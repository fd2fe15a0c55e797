"""Writing a convention: a step per block of the cerfa (seed 003), the draft saved at each
step, every check live while typing (nothing saved) or with « Vérifier sans enregistrer »."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import eligibility
from tremplin.rules.identifiers import ascii_digits
from tremplin.web.form_pages import NOT_SAVED, form_error, save_in_savepoint
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import CONVENTION_STEPS, SITUATION_STEP, ConventionForm, EmployeeFileForm
from .base import conventions

AID_STEP = len(CONVENTION_STEPS)
# The form's small script sends this header to receive only the findings (live checks).
LIVE_CHECK_HEADER = "X-Tremplin-Verification"


SEARCH = "salarie"  # the GET field that narrows the « Salarié » list
EMPLOYER_SEARCH = "recherche_employeur"  # the one that narrows the « Employeur » list


def kept_params(request, leave_out: str) -> list[tuple[str, str]]:
    """The query's other parameters (step, person, employer, the other search), kept by a
    search form."""
    return [(key, value) for key, value in request.GET.items() if key != leave_out]


def found_sentence(matches: int | None, nobody: str, alone: str, several) -> str | None:
    """What a search found, in French (``several`` is given the count: the typed text is
    never used as a format string); None when nothing was searched."""
    if matches is None:
        return None
    if matches == 0:
        return nobody
    if matches == 1:
        return alone
    return several(matches)


def search_boxes(request, form) -> list[dict]:
    """The GET search forms above the first step, one per list the form shows (« Salarié »,
    « Employeur »), each keeping the query's other parameters and saying what it found."""
    boxes = []
    if "beneficiary" in form.fields:
        typed = f"« {form.beneficiary_search} »"
        found = found_sentence(
            form.beneficiary_matches,
            f"Aucune personne ne correspond à {typed}.",
            f"1 personne correspond à {typed} : elle est choisie dans la liste ci-dessous.",
            lambda count: (
                f"{count} personnes correspondent à {typed} : choisissez dans la liste ci-dessous."
            ),
        )
        boxes.append(
            {
                "id": "chercher-salarie",
                "title": "Trouver le salarié dans la liste",
                "label": "Nom, prénom ou NIR",
                "button": "Filtrer la liste « Salarié »",
                "param": SEARCH,
                "search": form.beneficiary_search,
                "kept_params": kept_params(request, SEARCH),
                "found": found,
            }
        )
    if "employer" in form.fields:
        typed = f"« {form.employer_search} »"
        found = found_sentence(
            form.employer_matches,
            f"Aucun employeur ne correspond à {typed}.",
            f"1 employeur correspond à {typed} : il est choisi dans la liste ci-dessous.",
            lambda count: (
                f"{count} employeurs correspondent à {typed} : choisissez dans la liste ci-dessous."
            ),
        )
        boxes.append(
            {
                "id": "chercher-employeur",
                "title": "Trouver l'employeur dans la liste",
                "label": "Dénomination ou SIRET",
                "button": "Filtrer la liste « Employeur »",
                "param": EMPLOYER_SEARCH,
                "search": form.employer_search,
                "kept_params": kept_params(request, EMPLOYER_SEARCH),
                "found": found,
            }
        )
    return boxes


def step_from(request) -> int | None:
    """The step of ``?etape=`` (1 to the last), None for the whole form."""
    raw = request.GET.get("etape") or request.POST.get("etape")
    if raw and ascii_digits(raw) and 1 <= int(raw) <= len(CONVENTION_STEPS):
        return int(raw)
    return None


def step_url(convention, step: int) -> str:
    return reverse("conventions:update", args=[convention.pk]) + f"?etape={step}"


def registry_initial(request) -> dict:
    """The first step pre-filled from the person and the employer of the query string."""
    beneficiary = employer = None
    if ascii_digits(raw := request.GET.get("beneficiaire", "")):
        beneficiary = visible_object_or_404(Beneficiary, request, raw)
    if ascii_digits(raw := request.GET.get("employeur", "")):
        employer = visible_object_or_404(Employer, request, raw)
    return services.initial_from_registry(beneficiary, employer)


def save_new_draft(form, user):
    """The draft of step 1, with the person's situation copied from the registry (rule F1:
    later steps let the agent correct it for the day of signature)."""
    convention = form.save(commit=False)
    convention.territory = convention.beneficiary.territory
    convention.created_by = user
    for name, value in services.initial_from_registry(
        convention.beneficiary, convention.employer
    ).items():
        if name in services.SITUATION_FIELDS or name == "tutor":
            setattr(convention, f"{name}_id" if name == "tutor" else name, value)
    convention.save()
    return convention


@login_required
def convention_create(request):
    """Step 1: the parties, pre-filled from the registry; saving creates the draft."""
    initial = registry_initial(request) if request.method == "GET" else {}
    form = ConventionForm(
        request.POST or None,
        user=request.user,
        step=1,
        initial=initial,
        beneficiary_search=request.GET.get(SEARCH, ""),
        employer_search=request.GET.get(EMPLOYER_SEARCH, ""),
    )
    if request.method == "POST":
        if form.is_valid():
            convention = save_new_draft(form, request.user)
            messages.success(request, "Le brouillon de la convention est enregistré.")
            return redirect(step_url(convention, 2))
        form_error(request)
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "step": 1,
            "steps": CONVENTION_STEPS,
            "convention": None,
            "search_boxes": search_boxes(request, form),
        },
    )


def checks_on_typed_values(form, convention) -> list[eligibility.Finding]:
    """Every check on what is typed, nothing saved: the valid fields are applied to the
    in-memory convention by ``is_valid()``, the others keep their saved value."""
    form.is_valid()
    return services.findings_of(convention, signature_date=timezone.localdate())


def invalid_fields(form) -> list[str]:
    labels = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    if form.non_field_errors():
        labels.append("ensemble du formulaire")
    return labels


def findings_summary(findings, form=None) -> dict:
    """The findings and their count of blocking ones; with ``form``, what was checked is the
    typed values, and the fields that could not be read."""
    return {
        "findings": findings,
        "blocking_count": len(eligibility.blocking_findings(findings)),
        "checked_typed_values": form is not None,
        "invalid_fields": invalid_fields(form) if form is not None else [],
    }


def save_step(request, form, convention, step, employee_form=None):
    """The draft saved; the next step when asked (« Enregistrer et continuer »). In a
    savepoint: a save refused at the last moment (another agent's save took the version,
    ``EditConflict``) lands on the form, nothing written. ``None`` when refused."""
    if employee_form is not None:
        saved = save_in_savepoint(form, lambda: services.save_situation_step(form, employee_form))
    else:
        saved = save_in_savepoint(form)
    if saved is NOT_SAVED:
        return None
    if step is not None and step < len(CONVENTION_STEPS) and "suivant" in request.POST:
        messages.success(request, "Étape enregistrée.")
        return redirect(step_url(convention, step + 1))
    messages.success(request, "Le brouillon de la convention est enregistré.")
    return redirect(convention)


@login_required
def convention_update(request, pk):
    convention = visible_object_or_404(conventions(), request, pk)
    if convention.is_signed:
        messages.error(request, "Une convention signée ne se modifie que par avenant (règle F2).")
        return redirect(convention)
    step = step_from(request)
    proposal = services.propose_aid_box(convention) if step in (None, AID_STEP) else None
    initial = proposal.initial if proposal is not None and request.method == "GET" else {}
    form = ConventionForm(
        request.POST or None,
        instance=convention,
        user=request.user,
        step=step,
        initial=initial,
        beneficiary_search=request.GET.get(SEARCH, ""),
        employer_search=request.GET.get(EMPLOYER_SEARCH, ""),
    )
    # Rule F1: the situation step also asks what the person's file lacks for the cerfa.
    employee_form = (
        EmployeeFileForm(request.POST or None, instance=convention.beneficiary)
        if step == SITUATION_STEP
        else None
    )
    if request.method == "GET":
        # Each step shows the saved convention; the situation step also the person's file.
        audit.record_view(convention)
        if employee_form is not None:
            audit.record_view(convention.beneficiary)
    checking = request.method == "POST" and "verifier" in request.POST
    if checking:
        summary = findings_summary(checks_on_typed_values(form, convention), form)
        if request.headers.get(LIVE_CHECK_HEADER):
            return render(request, "conventions/_live_checks.html", summary)
    else:
        if request.method == "POST":
            employee_valid = employee_form is None or employee_form.is_valid()
            if form.is_valid() and employee_valid:
                response = save_step(request, form, convention, step, employee_form)
                if response is not None:
                    return response
            form_error(request)
        summary = findings_summary(
            services.findings_of(convention, signature_date=timezone.localdate())
        )
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "employee_form": employee_form,
            "step": step,
            "steps": CONVENTION_STEPS,
            "convention": convention,
            **summary,
            "aid_proposal": proposal,
            "live_check_header": LIVE_CHECK_HEADER,
            "search_boxes": search_boxes(request, form),
        },
    )
