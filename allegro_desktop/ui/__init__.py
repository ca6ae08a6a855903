"""The Qt user interface: windows, views, models, dialogs. No business logic here."""
