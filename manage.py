#!/usr/bin/env python
"""Django's manage.py; ``tremplin`` (see tremplin/cli.py) is the same thing, installed."""

from tremplin.cli import main

if __name__ == "__main__":
    main()
