#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except SystemExit as stop:
        if isinstance(stop.code, int) and "compiler.temporal" in sys.modules:
            sys.modules["compiler.temporal"].exit_after_failed_connect(stop.code)
        raise


if __name__ == "__main__":
    main()
