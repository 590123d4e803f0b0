#!/usr/bin/env python3
import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036  (say so clearly on an old interpreter)
    sys.exit(f"Python 3.12 or newer is needed (this is {sys.version.split()[0]}); see README.md.")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
