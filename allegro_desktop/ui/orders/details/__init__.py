"""The order details panel, right of the order table: `panel.py` assembles it from its header
and its sections, each in a module of its own."""
