"""A support's life: starting it (by hand, or from a signed CIE convention), its page, its
changes, a refusal of the support (A9) and a rupture of the contract (A14)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.conventions.forms import SuspensionForm
from tremplin.conventions.models import Convention
from tremplin.registry.models import Beneficiary
from tremplin.rules.programmes import Programme, RuleError
from tremplin.web.dates import french_date
from tremplin.web.form_pages import form_page
from tremplin.web.french import of
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import AimsForm, EpisodeForm, RefusalForm, RuptureForm, french_hours
from ..models import Deadline, Notification, SupportEpisode
from ..timeline import build_timeline
from .base import episodes

EPISODE_FORM = "support/episode_form.html"
SIMPLE_FORM = "support/simple_form.html"


def save_episode(form) -> SupportEpisode:
    """The form's support, validated over every field (also those the view sets), then
    started or changed by the service (its plan follows its dates)."""
    form.instance.full_clean()
    return services.save_episode(form.save(commit=False))


@login_required
def episode_create(request, beneficiary_pk):
    beneficiary = visible_object_or_404(Beneficiary, request, beneficiary_pk)
    form = EpisodeForm(request.POST or None, user=request.user, beneficiary=beneficiary)
    return form_page(
        request,
        form,
        EPISODE_FORM,
        {"beneficiary": beneficiary, "cancel_url": beneficiary.get_absolute_url()},
        save=lambda: save_episode(form),
        success=f"L'accompagnement {of(beneficiary)} commence.",
    )


def convention_initial(convention) -> dict:
    """What a signed convention already says about the support: the parties and the
    contract's dates, so that nothing is typed twice."""
    return {
        "operator": convention.operator_id,
        "referent": convention.referent_id,
        "employer": convention.employer_id,
        "tutor": convention.tutor_id,
        "contract_type": convention.contract_type,
        "contract_start": convention.hire_date,
        "contract_end": convention.planned_end,
    }


def why_no_support(convention) -> str:
    """Why the convention cannot start an in-employment support ("" when it can)."""
    if not convention.is_signed:
        return (
            "Cette convention n'est pas signée : l'accompagnement commence avec une convention "
            "signée (A10). Signez-la d'abord, ou commencez l'accompagnement depuis la fiche de "
            "la personne."
        )
    if convention.sector != Convention.Sector.CIE:
        return (
            "L'accompagnement dans l'emploi suit un CUI-CIE du secteur marchand (A1) ; cette "
            "convention est un CAE."
        )
    return ""


@login_required
def episode_from_convention(request, convention_pk):
    """Start the in-employment support of a signed convention (A10: signed in the presence of
    the employee, the employer, the operator and the conseiller RSA)."""
    convention = visible_object_or_404(
        Convention.objects.select_related("beneficiary"), request, convention_pk
    )
    existing = SupportEpisode.objects.filter(convention=convention).first()
    if existing is not None:
        messages.info(request, "L'accompagnement de cette convention est déjà commencé.")
        return redirect(existing)
    if refusal := why_no_support(convention):
        messages.error(request, refusal)
        return redirect(convention)
    beneficiary = convention.beneficiary
    form = EpisodeForm(
        request.POST or None,
        instance=SupportEpisode(convention=convention),
        initial=convention_initial(convention),
        user=request.user,
        beneficiary=beneficiary,
    )
    return form_page(
        request,
        form,
        EPISODE_FORM,
        {
            "beneficiary": beneficiary,
            "convention": convention,
            "cancel_url": convention.get_absolute_url(),
        },
        save=lambda: save_episode(form),
        success=f"L'accompagnement {of(beneficiary)} commence (convention {convention}).",
    )


@login_required
def episode_update(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = EpisodeForm(
        request.POST or None, instance=episode, user=request.user, beneficiary=episode.beneficiary
    )
    return form_page(
        request,
        form,
        EPISODE_FORM,
        {
            "beneficiary": episode.beneficiary,
            "episode": episode,
            "cancel_url": episode.get_absolute_url(),
        },
        save=lambda: save_episode(form),
        success="L'accompagnement est enregistré ; le plan est recalculé.",
        next_url=episode,
    )


@login_required
def episode_detail(request, pk):
    episode = visible_object_or_404(episodes().prefetch_related("qualitative_aims"), request, pk)
    if episode.programme == Programme.PROFESSIONAL.value:
        # A professional support has its own page (cadence, CER): not this one, made for
        # the contract (employer, 12 hours, rupture).
        return redirect(episode.get_absolute_url())
    audit.record_view(episode)
    today = timezone.localdate()
    try:
        plan = episode.plan()
        plan_error = None
    except RuleError as error:
        plan, plan_error = None, error.message
    deadlines = list(episode.deadlines.all())
    budget = episode.hours() if episode.contract_start or episode.started_on else None
    return render(
        request,
        "support/episode_detail.html",
        {
            "episode": episode,
            "plan": plan,
            "plan_error": plan_error,
            "today": today,
            "now": timezone.now(),
            "timeline": build_timeline(
                plan, today, [d for d in deadlines if d.state != Deadline.State.DROPPED]
            ),
            "deadlines": deadlines,
            "meetings": list(episode.meetings.select_related("replaced_by")),
            "budget": budget,
            "budget_used": french_hours(budget.used) if budget else "",
            "budget_total": french_hours(budget.budget) if budget else "",
            "rupture": episode.current_rupture(),
            # The convention's suspensions (C9, F12): one row each, seen from both pages.
            "suspensions": list(episode.convention.suspensions.all())
            if episode.convention_id
            else [],
            "refusals": list(episode.refusals.all()),
            # A2: the five qualitative aims, each with where it stands for the person.
            "aim_points": episode.aim_points(),
            "documents": list(episode.documents.all()),
            # The e-mails sent about this support (deadlines, rupture, refusals): kept.
            "notifications": list(
                Notification.objects.filter(
                    Q(deadline__episode=episode) | Q(refusal__episode=episode)
                ).select_related("deadline", "refusal")[:100]
            ),
        },
    )


# --- refusal, rupture and suspension ---------------------------------------------------------


@login_required
def refusal_create(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = RefusalForm(request.POST or None)

    def say_who_was_told(recorded):
        # A9: "dans les plus brefs délais": the conseiller RSA is told at once.
        if recorded.sent:
            messages.success(
                request,
                f"Le refus est enregistré et signalé à {episode.rsa_adviser_display} "
                f"({recorded.recipient}) (A9).",
            )
        elif recorded.recipient:
            messages.warning(
                request,
                f"Le refus est enregistré, mais le courriel à {recorded.recipient} n'a pas pu "
                "partir : il sera renvoyé par l'envoi quotidien ; prévenez aussi le conseiller "
                "RSA par un autre moyen (A9).",
            )
        else:
            messages.warning(
                request,
                "Le refus est enregistré, mais le conseiller RSA n'a pas d'adresse "
                "électronique : prévenez-le par un autre moyen (A9) et complétez "
                "l'accompagnement.",
            )

    return form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Enregistrer un refus d'accompagnement",
            "intro": "Le conseiller RSA référent en est informé par courriel dès "
            "l'enregistrement (A9).",
            "cancel_url": episode.get_absolute_url(),
        },
        save=lambda: services.record_refusal(episode, form.save(commit=False), user=request.user),
        after_save=say_who_was_told,
        next_url=episode,
    )


def rupture_recorded_message(episode, declared: services.RuptureDeclared) -> str:
    """What the referent reads once the rupture is recorded (A14): the notice's deadline,
    the job-search phase, the document added to the livret, who was e-mailed, and what the
    convention's aid does (F12, F13)."""
    notice = episode.deadlines.get(code="rupture_notice")
    text = (
        f"La rupture est enregistrée : signalement complet à la Cellule contrats "
        f"aidés au plus tard le {notice.due_display} (A14)."
    )
    job_search = [p for p in episode.plan().phases if p.code == "job_search"]
    if job_search:
        text += (
            f" L'accompagnement passe en recherche active d'emploi du "
            f"{french_date(job_search[0].first)} au {french_date(job_search[0].last)} (A14)."
        )
    rupture = declared.rupture
    if rupture.convention_id is not None:
        text += (
            f" L'aide de la convention {rupture.convention} s'arrête au "
            f"{french_date(rupture.last_day)} (règle F12)."
        )
        if rupture.opens_repayment_check:
            text += (
                " Rupture à l'initiative de l'employeur : le département vérifie si elle entre "
                "dans un cas prévu par le code du travail, faute de quoi l'aide perçue est à "
                "reverser (règle F13)."
            )
    if declared.evidence is not None:
        text += f" « {declared.evidence.title} » rejoint le livret."
    if declared.sent:
        text += f" Cellule contrats aidés prévenue par courriel : {', '.join(declared.sent)}."
    elif not declared.outgoing:
        text += (
            " Aucune adresse de la Cellule contrats aidés n'est connue pour ce "
            "territoire : signalez-lui la rupture par un autre moyen (A14)."
        )
    return text


@login_required
def rupture_edit(request, pk):
    episode = visible_object_or_404(episodes(), request, pk)
    form = RuptureForm(
        request.POST or None,
        request.FILES or None,
        instance=episode.current_rupture(),
        episode=episode,
    )

    def declare():
        return services.declare_rupture(
            episode,
            form.save(commit=False),
            user=request.user,
            evidence=form.evidence_upload,
            evidence_title=form.cleaned_data.get("evidence_title") or "",
        )

    return form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Déclarer une rupture du contrat",
            "intro": "La rupture doit être précédée d'une concertation et signalée dans les "
            "48 heures à la Cellule contrats aidés (A14). L'accompagnement passe ensuite en "
            "recherche active d'emploi pendant 3 mois."
            + (
                " L'aide de la convention s'arrête au dernier jour du contrat (règle F12)."
                if episode.convention_id
                else ""
            ),
            "cancel_url": episode.get_absolute_url(),
        },
        save=declare,
        success=lambda declared: rupture_recorded_message(episode, declared),
        next_url=episode,
    )


@login_required
def suspension_create(request, pk):
    """A suspension of the contract declared from the support (C9): the convention's one
    row, whose unpaid days cut the aid (F12), seen on both pages."""
    episode = visible_object_or_404(episodes(), request, pk)
    if episode.convention_id is None:
        messages.error(
            request,
            "Cet accompagnement ne suit pas une convention enregistrée dans Tremplin : aucune "
            "aide n'est à suspendre. Signalez la suspension à l'employeur et au payeur de "
            "l'aide (règle F12).",
        )
        return redirect(episode)
    form = SuspensionForm(request.POST or None, convention=episode.convention)

    def warn_if_late(suspension):
        if suspension.reported_late:
            messages.warning(
                request,
                f"L'employeur devait signaler la suspension au plus tard le "
                f"{french_date(suspension.report_due)} (7 jours, règle F12).",
            )

    return form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Déclarer une suspension du contrat",
            "intro": "Sans rémunération, les jours suspendus ne donnent pas d'aide (règle F12) : "
            f"la convention {episode.convention} et son aide mois par mois en tiennent compte.",
            "cancel_url": episode.get_absolute_url(),
        },
        save=lambda: services.record_suspension(
            episode, form.save(commit=False), user=request.user
        ),
        success=lambda suspension: (
            f"{suspension} enregistrée sur la convention {episode.convention}."
        ),
        after_save=warn_if_late,
        next_url=episode,
    )


# --- the qualitative aims (A2) ---------------------------------------------------------------


def aims_recorded_message(recorded: services.AimsRecorded) -> str:
    """« 1 objectif qualitatif mis à jour », « 3 objectifs qualitatifs mis à jour »."""
    count = len(recorded.written)
    if not count:
        return "Rien n'a changé : les objectifs qualitatifs restent tels qu'enregistrés."
    plural = "s" if count > 1 else ""
    return f"{count} objectif{plural} qualitatif{plural} mis à jour."


@login_required
def aims_edit(request, pk):
    """Where the five qualitative aims stand for the person (A2): one form, all or none."""
    episode = visible_object_or_404(episodes().prefetch_related("qualitative_aims"), request, pk)
    if not episode.is_in_employment:
        messages.error(request, services.NOT_IN_EMPLOYMENT)
        return redirect(episode)
    form = AimsForm(request.POST or None, episode=episode)
    response = form_page(
        request,
        form,
        SIMPLE_FORM,
        {
            "episode": episode,
            "title": "Objectifs qualitatifs de l'accompagnement",
            "intro": "Pour chaque objectif, où en est la personne, à quelle date et ce qui a "
            "été observé. Un objectif qui ne la concerne pas est « Sans objet », avec la "
            "raison.",
            "cancel_url": episode.get_absolute_url(),
        },
        save=lambda: services.record_aims(episode, form.points(), user=request.user),
        success=aims_recorded_message,
        next_url=f"{episode.get_absolute_url()}#objectifs",
    )
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 422  # refused: nothing written, the errors on the form
    return response
