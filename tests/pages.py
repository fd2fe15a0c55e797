"""What the tests read on a rendered page."""


def cites(page: str, *codes: str) -> bool:
    """Whether ``page`` shows each rule of ``codes`` as a help marker leading to its sentence
    (``{% rule %}``, ``|rule_markers``): a page never shows a rule's number raw."""
    return all(f'href="/aide/regles/#regle-{code}"' in page for code in codes)
