"""Allegro accounts in the window: connecting one (the Connect dialog) and the account actions."""
