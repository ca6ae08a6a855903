"""The page at `verification_uri`: where the seller sees the code and clicks Allow or Deny.

On allegro.pl the seller logs in first; the emulator plays an already logged-in seller (with a
choice of account when it emulates several), so the page goes straight to the consent question.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from allegro_desktop.emulator.core import Emulator

_STYLE = """
body{font-family:system-ui,'Segoe UI',sans-serif;background:#f5f5f5;margin:0;color:#222}
header{background:#ff5a00;color:#fff;padding:14px 24px;font-size:20px;font-weight:600}
main{max-width:520px;margin:32px auto;background:#fff;border-radius:8px;padding:28px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
.code{font:600 32px/1.2 monospace;letter-spacing:4px;text-align:center;margin:18px 0}
label,select,input{font-size:16px}
input[type=text]{font:600 22px monospace;letter-spacing:3px;width:100%;padding:8px;
box-sizing:border-box}
.row{display:flex;gap:12px;margin-top:22px}
button{flex:1;font-size:17px;padding:12px;border-radius:6px;border:1px solid #ccc;cursor:pointer}
button.allow{background:#ff5a00;color:#fff;border-color:#ff5a00}
.ok{color:#1b7f3b}.err{color:#b3261e}small{color:#666}
"""


def _page(title: str, body: str) -> web.Response:
    return web.Response(content_type="text/html", text=(
        f"<!doctype html><html lang=pl><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        f"<header>allegro <small style='color:#ffe0cc'>emulator</small></header>"
        f"<main>{body}</main></html>"))


def _format(code: str) -> str:
    return " ".join(code[i:i + 3] for i in range(0, len(code), 3)).upper()


def add_routes(app: web.Application, *, path: str,
               key: web.AppKey[Emulator]) -> None:
    async def show(request: web.Request) -> web.Response:
        emulator = request.app[key]
        code = request.query.get("code", "").strip()
        sellers = list(emulator.store.sellers.values())
        if not code:
            return _page("Powiąż aplikację", (
                "<h2>Powiąż aplikację z kontem Allegro</h2>"
                "<p>Wpisz kod wyświetlony w aplikacji.<br><small>Enter the code shown by the "
                "app.</small></p>"
                f"<form method=get action='{path}'><input type=text name=code "
                "autocomplete=off autofocus maxlength=11 placeholder='XXX XXX XXX'>"
                "<div class=row><button class=allow>Dalej</button></div></form>"))
        pending = {a.user_code: a for a in emulator.oauth.pending_devices()}
        auth = pending.get(code.replace(" ", "").lower())
        if auth is None:
            return _page("Nieprawidłowy kod", (
                "<h2 class=err>Kod jest nieprawidłowy lub wygasł</h2>"
                "<p>Wygeneruj nowy kod w aplikacji i spróbuj ponownie.<br><small>The code is "
                "invalid or has expired: start again in the app.</small></p>"))
        options = "".join(
            f"<option value='{html.escape(s.seller.id)}'>{html.escape(s.seller.login)}</option>"
            for s in sellers)
        chooser = (f"<p><label>Konto: <select name=seller>{options}</select></label></p>"
                   if len(sellers) > 1 else
                   f"<input type=hidden name=seller value='{html.escape(sellers[0].seller.id)}'>"
                   f"<p>Zalogowano jako <b>{html.escape(sellers[0].seller.login)}</b>.</p>")
        return _page("Powiąż aplikację", (
            "<h2>Powiąż aplikację z kontem Allegro</h2>"
            f"<p>Aplikacja <b>{html.escape(auth.client_id)}</b> prosi o dostęp do Twojego konta: "
            "odczyt zamówień i danych konta.</p>"
            f"<p>Sprawdź, czy kod zgadza się z kodem w aplikacji:</p>"
            f"<div class=code>{html.escape(_format(auth.user_code))}</div>"
            f"<form method=post action='{path}'>"
            f"<input type=hidden name=code value='{html.escape(auth.user_code)}'>{chooser}"
            "<div class=row><button name=decision value=deny>Odmów</button>"
            "<button class=allow name=decision value=allow>Pozwól</button></div></form>"))

    async def decide(request: web.Request) -> web.Response:
        emulator = request.app[key]
        form = await request.post()
        code = str(form.get("code", ""))
        approve = form.get("decision") == "allow"
        try:
            seller_id = emulator.seller_id_for(str(form.get("seller", "")) or None)
            emulator.oauth.decide(code, approve=approve, seller_id=seller_id)
        except KeyError:
            return _page("Nieprawidłowy kod", (
                "<h2 class=err>Kod jest nieprawidłowy lub wygasł</h2>"
                "<p>Wygeneruj nowy kod w aplikacji i spróbuj ponownie.</p>"))
        if approve:
            return _page("Udało się", (
                "<h2 class=ok>Udało się!</h2><p>Aplikacja została powiązana z Twoim kontem. "
                "Możesz wrócić do aplikacji.<br><small>Done: go back to the app.</small></p>"))
        return _page("Odmówiono dostępu", (
            "<h2>Odmówiono dostępu</h2><p>Aplikacja nie otrzyma dostępu do Twojego konta."
            "<br><small>Access denied.</small></p>"))

    app.router.add_get(path, show)
    app.router.add_post(path, decide)
