"""Help → Diagnostics…: the dialog, a module per tab, the report for support, the controller."""
