"""What the supports ask before two files of one person are merged (see
``registry.merging``): one open support per programme (P5 for the professional support;
one in-employment support follows one contract)."""

from tremplin.registry.merging import register_merge_check

from .models import ProgrammeChoices, SupportEpisode


def open_supports_of_both(kept, absorbed) -> list[str]:
    open_episodes = SupportEpisode.objects.open().filter(beneficiary__in=[kept, absorbed])
    by_programme: dict[str, set[int]] = {}
    for programme, person in open_episodes.values_list("programme", "beneficiary_id"):
        by_programme.setdefault(programme, set()).add(person)
    return [
        f"Les deux dossiers ont chacun un accompagnement « {ProgrammeChoices(programme).label} » "
        "en cours : une personne n'en suit qu'un à la fois (règle P5). Clôturez l'un des deux "
        "depuis sa page, puis fusionnez les dossiers."
        for programme, people in sorted(by_programme.items())
        if len(people) == 2
    ]


def register():
    register_merge_check("support.open_supports", open_supports_of_both)
