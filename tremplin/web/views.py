from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import render

from tremplin.accounts.access import scope_of
from tremplin.rules.sentences import FAMILIES, SENTENCES

from .glossary import GLOSSARY


@login_required
def home(request):
    """The greeting, then the sections the apps register for the home (``web.panels``)."""
    return render(request, "web/home.html", {"has_no_role": scope_of(request.user).is_empty})


@login_not_required
def help_glossary(request):
    """The words of the menus and pages, explained (linked from the footer)."""
    return render(request, "web/help_glossary.html", {"sections": GLOSSARY})


@login_not_required
def help_rules(request):
    """Every rule's sentence, by family: where each help marker leads."""
    families = [
        (
            letter,
            title,
            [(code, words) for code, words in SENTENCES.items() if code[0] == letter],
        )
        for letter, title in FAMILIES.items()
    ]
    return render(request, "web/help_rules.html", {"families": families})
