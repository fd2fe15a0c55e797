"""Pages of the in-employment support, one module per workflow. Thin: access through
``visible_to`` (an episode outside the user's scope is a 404), decisions in the models'
calls to ``tremplin.rules``.

- ``episodes``: starting a support (by hand or from a signed convention), its page, its
  changes, a refusal (A9) and a rupture (A14);
- ``meetings``: the meetings, their reports and the hour budget (A5);
- ``deliverables``: the deliverables, drafted from the reports, sent, as PDFs;
- ``livret``: the documents of the livret and the whole livret as one PDF (A6);
- ``my_day``: the referent's day;
- ``agenda``: the private iCalendar feed of one's meetings and deadlines.
"""
