"""Pages of the outcomes, one module per workflow. Thin: access through ``visible_to``
(a person outside the user's scope is a 404), decisions in ``tremplin.rules.outcomes``.

- ``situations``: a person's situations after a support, and the classification of an
  exit (A3, A4, P1, P10);
- ``scope``: who may read the indicators and the filters every indicator page shares;
- ``indicators``: the indicator page and its CSV/XLSX export (``indicator_export``);
- ``report``: the département's periodic report as a PDF;
- ``people``: the people behind a number of the indicator page;
- ``targets``: the targets of the agreements, set by the département.
"""
