"""Settings and the app's folders."""
