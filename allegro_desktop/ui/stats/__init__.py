"""The Statistics tab: its periods, the background loader, the charts, panels and tables."""
