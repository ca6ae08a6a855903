"""Taking secrets and buyers' personal data out of text before it is written or shared.

Two places need it: the log file (a secret logged by mistake must not reach the disk) and the
diagnostics report (a seller pastes it into an e-mail to support). The code never means to log
a token, the Authorization header or a client secret (ARCHITECTURE.md "Conventions"); this is
the second line of defence, for the mistake nobody noticed — so it matches the *shapes* secrets
have, not the places they are known to appear:

- `Bearer …` and `Basic …` credentials, and whatever follows an `Authorization` header name;
- JWT-looking strings (`eyJ….….…`: Allegro's access and refresh tokens are JWTs);
- the value after a secret-sounding key in JSON, a query string, a form body or `repr()`:
  `"access_token": "…"`, `refresh_token=…`, `client_secret`, `device_code`, `webhook_secret`,
  `password`, `signature`, …;
- long opaque strings (32+ letters, digits, `-` or `_`), as `api.errors.scrub` does, except
  UUIDs (order ids, which support needs);
- and, when the caller knows them, the exact secret values (`known` — e.g. every token in the
  keyring), whatever their shape.

`mask_personal_data` hides what identifies a buyer (e-mail addresses, phone numbers) for the
report; the log keeps them, as it stays on the seller's computer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from allegro_desktop.api.errors import scrub

__all__ = ["REDACTED", "mask_personal_data", "redact"]

REDACTED: Final = "<redacted>"

#: Keys whose value is a secret, in any notation: JSON ("key": "v"), Python repr ('key': 'v',
#: key='v'), query strings and form bodies (key=v), headers and logs (key: v).
_SECRET_KEYS: Final = (
    r"[\w-]*token|[\w-]*secret|device_code|password|passwd|api[_-]?key|signature|"
    r"x-signature[\w-]*|code_verifier|assertion"
)
_KEY_VALUE: Final = re.compile(
    r"""(?P<key>["']?\b(?:""" + _SECRET_KEYS + r""")["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"',;&}\])]+)""",
    re.IGNORECASE)
#: `Authorization: <anything to the end of the value>` (a header line, a dict entry).
_AUTHORIZATION: Final = re.compile(
    r"""(?P<key>["']?\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?P<value>[^"'\r\n,}]+)""",
    re.IGNORECASE)
_SCHEME: Final = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_JWT: Final = re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*")

_EMAIL: Final = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
#: A phone number the way sellers see them: an optional country code, then nine digits in
#: groups of three or together ("+48 600 100 200", "600-100-200", "600100200"). Dates, times,
#: amounts and Allegro's longer ids do not fit the pattern.
_PHONE: Final = re.compile(
    r"(?<![\w.:/-])(?:\+\d{2,3}[ -]?)?\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w.:/-])")


def redact(text: str, known: Iterable[str] = ()) -> str:
    """`text` with every secret replaced by `<redacted>` (see the module doc). `known`: exact
    secret values to remove too (values shorter than 6 characters are ignored: replacing
    them would shred ordinary words)."""
    for secret in sorted({s for s in known if s and len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _AUTHORIZATION.sub(lambda m: m.group("key") + REDACTED, text)
    text = _SCHEME.sub(lambda m: f"{m.group('scheme')} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    text = _KEY_VALUE.sub(_keep_key, text)
    return scrub(text)


def _keep_key(match: re.Match[str]) -> str:
    value = match.group("value")
    if value.strip("\"'") in ("", REDACTED, "None", "null"):
        return match.group(0)
    quote = value[0] if value[0] in "\"'" else ""
    return f"{match.group('key')}{quote}{REDACTED}{quote}"


def mask_personal_data(text: str) -> str:
    """`text` with buyers' e-mail addresses and phone numbers masked ("<e-mail>", "<phone>")."""
    return _PHONE.sub("<phone>", _EMAIL.sub("<e-mail>", text))
