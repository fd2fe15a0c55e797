"""Pages of the professional support (fiche action 8), one module per workflow. Thin:
access through ``visible_to`` (a support outside the user's scope is a 404), decisions in
``tremplin.rules.programmes``, changes of several facts in ``services``.

- ``episodes``: opening a support with its first CER, its page, its end (P3, P4, P9);
- ``cers``: renewing a CER and the département's validation (P5);
- ``interviews``: interviews, contacts and the support's cadence (P4);
- ``below_cadence``: the people below the interview cadence, for coordinators (P4);
- ``portfolios``: the referents' active files and transfers between them (P9);
- ``collective_actions``: workshops and information sessions, and who attended (P2).
"""
