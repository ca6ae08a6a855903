"""The window: the main window and its welcome page, the tabs it holds (tabs.py assembles them),
the tray and notifications, and what guards the whole app (one window per profile, quit signals,
uncaught errors)."""
