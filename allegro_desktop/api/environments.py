"""Where the app talks to: production, sandbox, or a custom base URL (the emulator).

One object holds an environment's auth host, API host and the app's client credentials, so a
sandbox secret can never be sent to production (ALLEGRO-API.md §1.2: the classic 401).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from allegro_desktop.domain.errors import QT_TRANSLATE_NOOP, Text

PRODUCTION_KEY = "production"
SANDBOX_KEY = "sandbox"
_HOSTS = {
    PRODUCTION_KEY: ("https://allegro.pl", "https://api.allegro.pl"),
    SANDBOX_KEY: ("https://allegro.pl.allegrosandbox.pl", "https://api.allegro.pl.allegrosandbox.pl"),
}


class EnvironmentError_(ValueError):  # noqa: N801, N818 - the builtin EnvironmentError is OSError
    """A malformed --environment value."""


@dataclass(frozen=True)
class Environment:
    """An Allegro environment and the app's credentials for it.

    `key` identifies it in settings and the keyring: "production", "sandbox" or
    "custom:<base url>". The secret never appears in `repr()`.
    """

    key: str
    auth_url: str  # OAuth: /auth/oauth/device, /auth/oauth/token
    api_url: str  # REST: /me, /order/...
    client_id: str = ""
    client_secret: str = field(default="", repr=False)

    @property
    def name(self) -> Text:
        """How the environment is named to the seller (the window translates it)."""
        if self.key == PRODUCTION_KEY:
            return Text("Allegro")
        if self.key == SANDBOX_KEY:
            return Text("Allegro Sandbox")
        return Text(QT_TRANSLATE_NOOP("Errors", "Allegro emulator (%1)"),
                    urlsplit(self.api_url).netloc)

    @property
    def label(self) -> str:
        """The environment's name in English (the command line, logs)."""
        return str(self.name)

    @property
    def is_custom(self) -> bool:
        return self.key not in _HOSTS

    def with_credentials(self, client_id: str, client_secret: str) -> Environment:
        return Environment(self.key, self.auth_url, self.api_url, client_id, client_secret)


def environment_from_key(key: str) -> Environment:
    """The environment named by a key or by a base URL (credentials not filled in)."""
    if key in _HOSTS:
        auth, api = _HOSTS[key]
        return Environment(key, auth, api)
    url = key.removeprefix("custom:").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise EnvironmentError_(
            f"{key!r} is not an environment: use production, sandbox or a base URL such as "
            "http://127.0.0.1:8080")
    return Environment(f"custom:{url}", url, url)
