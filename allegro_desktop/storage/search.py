"""Full-text search text: what goes into `orders_fts` and how a search box becomes a query.

SQLite's `unicode61 remove_diacritics 2` folds case and accents ("ó" -> "o") but not letters
that Unicode does not decompose, and Polish has one: "ł". So both the indexed text and the query
are folded here first, the same way, and "lodz" finds "Łódź".
"""

from __future__ import annotations

import re
import unicodedata

from allegro_desktop.domain.orders import Order

__all__ = ["MIN_PREFIX", "fold", "fts_values", "match_query", "too_short"]

#: Letters without a Unicode decomposition, spelled the way people type them without accents.
_UNDECOMPOSABLE = str.maketrans({
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h", "Ħ": "H",
})
#: What the FTS5 tokenizer keeps together: letters and digits (underscore and punctuation split).
_TOKEN = re.compile(r"[^\W_]+")
_NOT_DIGIT = re.compile(r"\D")
_NATIONAL_DIGITS = 9
#: The shortest word searched as a prefix (see `match_query`).
MIN_PREFIX = 2


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


#: `_fold_slowly` precomputed for the Latin letters of the shop's markets (Polish, Czech,
#: Slovak, Hungarian and their neighbours): indexing 10 000 orders folds 70 000 strings.
_LATIN = str.maketrans({chr(code): _fold_slowly(chr(code)) for code in range(0xC0, 0x250)
                        if _fold_slowly(chr(code)) != chr(code)})


def fold(text: str) -> str:
    """Lower case, no diacritics, "ł" -> "l": the form of all indexed and searched text."""
    folded = text.translate(_LATIN).casefold()
    return folded if folded.isascii() else _fold_slowly(folded)


def _words(text: str) -> list[list[str]]:
    """The tokens of each whitespace-separated word typed, folded; words without any dropped."""
    return [tokens for word in fold(text).split() if (tokens := _TOKEN.findall(word))]


def match_query(text: str) -> str | None:
    """An FTS5 MATCH expression for what the seller typed; None if it has nothing to search.

    Every word must match (AND); a word is a phrase of its tokens with a prefix match on the
    last, so "kowal" finds "Kowalski", "jan.kow" finds "jan.kowalski@…" and "604 98" finds
    "604 985 504". User text never reaches FTS5's query syntax: only tokens, quoted.

    A last token of one character is matched as a whole word, never as a prefix ("iphone 7",
    "rozmiar m"): as a prefix it matches half of all orders, and FTS5 merges the lists of every
    indexed word starting with it first, 0.15-0.35 s on a million orders even for the first
    screen. A search of such words only ("k") does not filter yet: see `too_short`.
    """
    phrases = []
    for tokens in _words(text):
        star = "*" if len(tokens[-1]) >= MIN_PREFIX else ""
        phrases.append('"' + " ".join(tokens) + '"' + star)
    return " ".join(phrases) or None


def too_short(text: str) -> bool:
    """Whether every word typed is a single character ("k", "a 7"): the seller has started
    typing, and the list is not filtered by it yet (the workspace says a search starts at two
    characters)."""
    words = _words(text)
    return bool(words) and all(len(tokens) == 1 and len(tokens[0]) < MIN_PREFIX
                               for tokens in words)


def fts_values(order: Order) -> dict[str, str]:
    """The `orders_fts` columns of an order (folded). A phone is indexed as sent, as bare
    digits and as its last nine digits (the national number in PL, CZ, SK and HU), so
    "604985" finds "+48 604 985 504" too; offers include the seller's own codes (SKU)."""
    buyer = order.buyer
    phone = buyer.phone or ""
    digits = _NOT_DIGIT.sub("", phone)
    phone_forms = dict.fromkeys(p for p in (phone, digits, digits[-_NATIONAL_DIGITS:]) if p)
    offers = []
    for item in order.line_items:
        offers.append(item.offer_name)
        if item.external_id:
            offers.append(item.external_id)
    name = " ".join(p for p in (buyer.name, buyer.company_name) if p)
    return {
        "order_id": order.id,
        "buyer_login": fold(buyer.login or ""),
        "buyer_name": fold(name),
        "buyer_email": fold(buyer.email or ""),
        "buyer_phone": " ".join(phone_forms),
        "city": fold(order.delivery.city or ""),
        "offers": fold("\n".join(offers)),
    }
