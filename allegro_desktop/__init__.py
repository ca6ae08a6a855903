"""Allegro Desktop: a free, fast, private order manager for Allegro.pl sellers."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "Allegro Desktop"
