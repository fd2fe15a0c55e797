"""The ``tremplin`` console command: Django's management commands under one name.

``tremplin seed-demo`` runs the ``seed_demo`` management command: dashes are accepted in
command names because they read better on a command line.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(["tremplin", *args[1:]])


if __name__ == "__main__":
    main()
