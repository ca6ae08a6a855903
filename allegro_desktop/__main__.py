"""`python -m allegro_desktop`, and the `allegro-desktop` command's entry point: `cli.main`,
with a Ctrl+C that arrives while the program is still loading ending it as quietly as one
later does ("Cancelled.", exit code 130) instead of with Python's traceback."""

from __future__ import annotations

import sys

CANCELLED = 130  # headless.ExitCode.CANCELLED (a test holds them equal), not loaded yet


def run() -> int:
    try:
        from allegro_desktop.cli import main

        return main()
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return CANCELLED


if __name__ == "__main__":
    sys.exit(run())
