"""A local, faithful emulator of Allegro's REST API (no Qt): demo mode, tests, benchmarks."""
