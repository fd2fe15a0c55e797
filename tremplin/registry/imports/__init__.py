"""Import of a list of people (a CAF/MSA list, an operator's spreadsheet) into the registry.

- ``columns``: the fields a list may carry, and the headers recognised for each (without
  case or accents); a mapping from the file's headers to those fields.
- ``reading``: the file read as a table, streamed: CSV (UTF-8 with or without BOM, ``;`` or
  ``,`` sniffed) or XLSX (openpyxl, read-only).
- ``checks``: each row checked by the pages' own form (``BeneficiaryForm``'s fields, clean
  methods and identifier checks), one French message per cell.
- ``engine``: matching (NIR, then allocation number, then name and birth date), created /
  updated / unchanged / rejected, written in batches; a plain function with a progress
  callback (pages, API, command and jobs call it through ``registry.services``).
- ``report``: the rejected rows and their reasons as an XLSX file.
"""
