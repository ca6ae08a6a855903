"""Plain data of the app's world (accounts, orders, money, statuses): no I/O, no Qt."""
