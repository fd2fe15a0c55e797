"""The law and the programmes as plain Python.

Nothing in this package imports Django: every function takes plain values (dates, Decimals,
strings) and returns plain values, so that pages, the API, the CLI and batch jobs share one
implementation and hypothesis can test it by the thousand. Each rule cites its number in
``shared/SPEC.md`` (A1…P10).
"""
