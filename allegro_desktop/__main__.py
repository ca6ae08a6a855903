"""`python -m allegro_desktop` does what the `allegro-desktop` command does."""

from __future__ import annotations

import sys

from allegro_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
