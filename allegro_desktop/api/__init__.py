"""Allegro's REST API over httpx (no Qt): environments, typed errors, retries, rate limiting."""
