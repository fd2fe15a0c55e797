"""Pages of the conventions, one module per workflow. Thin: access through ``visible_to``
(a convention outside the user's scope is a 404), decisions in ``services`` and the rules.

Every writing request is one transaction (``web.transactions``): a refused action writes
nothing.

- ``browse``: the list, a convention's page, its checks;
- ``drafting``: writing a convention, a step per block of the cerfa, with live checks;
- ``signing``: the signature with the four parties (A10, F2, F8);
- ``events``: amendments, suspensions, immersions, proofs of activity, the rupture, and the
  employer's reports of them (C9, C13, E6, F12, F13);
- ``funding``: the simulator, the payment list of a month, the 24-month forecast;
- ``orders``: the aid-rate orders entered by the département (E1, E12);
- ``documents``: the convention and the repayment notice as PDFs.
"""
