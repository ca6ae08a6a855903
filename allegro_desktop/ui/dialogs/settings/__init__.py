"""File → Settings…: the dialog, a module per tab, and the controller that applies changes."""
