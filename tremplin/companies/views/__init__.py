"""Pages of company relations (P7), one module per workflow. Thin: access through each
model's ``visible_to`` (a record outside the user's scope is a 404), decisions in
``tremplin.rules.companies``.

- ``network``: an employer's contacts and the prospecting actions;
- ``offers``: job offers and the people who match them;
- ``people``: a person's job search (profile, matching offers, applications) and the pool;
- ``immersions``: PMSMP immersions (L5135-1, D5135-3);
- ``events``: job datings, fairs, company visits.
"""
