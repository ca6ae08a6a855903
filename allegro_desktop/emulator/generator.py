"""Deterministic, fast generator of realistic Polish seller orders for the Allegro emulator.

The emulator's demo, its benchmarks and many tests stand on this data, so it has to look like the
order book of a real small Polish shop (a gadget shop: phone accessories plus home & kitchen) and it
has to be exactly reproducible.  Everything is drawn from our own seeded :class:`random.Random`;
Faker is used only as a source of Polish word lists (names, cities, streets), read once at import,
because calling a Faker instance per order is far too slow for 100 000-order histories.

Shapes follow Allegro's ``CheckoutForm`` (ALLEGRO-API.md §10.4) and real production payloads:
blank fields are ``null``, amounts are strings with two decimals, dates are UTC with milliseconds
and a trailing ``Z``, checkout-form ids are time-based (version 1) UUIDs.  Internally all times are
integer milliseconds since the epoch and all amounts are integer minor units (grosze, cents), so
sums are exact without floats and the hot path stays cheap.

Lifecycle realism: each order gets a whole "story" (bought, filled in, paid, packed, sent, ...)
with plausible delays (sellers work business hours in Europe/Warsaw), and the story is then cut at
``now``.  Old orders are therefore mostly SENT / PICKED_UP while the newest ones are still NEW,
PROCESSING or unpaid, exactly as in a real shop.  For histories of 200+ orders a final coverage
pass makes sure every lifecycle state and marketplace appears at least once.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import random
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

from faker.providers.address.pl_PL import Provider as _PlAddressProvider
from faker.providers.person.pl_PL import Provider as _PlPersonProvider

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

_T = TypeVar("_T")

__all__ = [
    "AUTO_CANCEL_AFTER",
    "BUYER_SIDE_EVENT_TYPES",
    "EVENT_TYPES",
    "FULFILLMENT_FLOW",
    "FULFILLMENT_STATUSES",
    "MARKETPLACE_IDS",
    "ORDER_STATUSES",
    "GeneratedEvent",
    "GeneratedOrder",
    "OrderGenerator",
    "iso",
    "time_uuid",
]

# --------------------------------------------------------------------------------------------
# Public constants
# --------------------------------------------------------------------------------------------

EVENT_TYPES: Final = (
    "BOUGHT",
    "FILLED_IN",
    "READY_FOR_PROCESSING",
    "FULFILLMENT_STATUS_CHANGED",
    "BUYER_CANCELLED",
    "AUTO_CANCELLED",
    "BUYER_MODIFIED",
)
#: Event types that change the checkout form's ``revision`` and ``updatedAt``.  A seller-side
#: FULFILLMENT_STATUS_CHANGED carries the unchanged revision (real Allegro behaviour).
BUYER_SIDE_EVENT_TYPES: Final = frozenset(EVENT_TYPES) - {"FULFILLMENT_STATUS_CHANGED"}
ORDER_STATUSES: Final = ("BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING", "CANCELLED")
FULFILLMENT_STATUSES: Final = (
    "NEW",
    "PROCESSING",
    "READY_FOR_SHIPMENT",
    "READY_FOR_PICKUP",
    "SENT",
    "PICKED_UP",
    "CANCELLED",
    "SUSPENDED",
    "RETURNED",
)
#: The usual forward moves of ``fulfillment.status`` (for live mode / UI hints).
FULFILLMENT_FLOW: Final = MappingProxyType({
    "NEW": ("PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP", "SENT", "SUSPENDED",
            "CANCELLED"),
    "PROCESSING": ("READY_FOR_SHIPMENT", "READY_FOR_PICKUP", "SENT", "SUSPENDED", "CANCELLED"),
    "READY_FOR_SHIPMENT": ("SENT", "CANCELLED"),
    "READY_FOR_PICKUP": ("PICKED_UP", "CANCELLED"),
    "SENT": ("RETURNED",),
    "PICKED_UP": ("RETURNED",),
    "SUSPENDED": ("PROCESSING", "CANCELLED"),
    "CANCELLED": (),
    "RETURNED": (),
})
MARKETPLACE_IDS: Final = ("allegro-pl", "allegro-cz", "allegro-sk", "allegro-hu")
#: Allegro cancels an unpaid Buy-Now order after 7 days (ALLEGRO-API.md §7.3, AUTO_CANCELLED).
AUTO_CANCEL_AFTER: Final = timedelta(days=7)

# --------------------------------------------------------------------------------------------
# Time helpers (integer milliseconds since the epoch)
# --------------------------------------------------------------------------------------------

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_SEC: Final = 1000
_MIN: Final = 60 * _SEC
_HOUR: Final = 60 * _MIN
_DAY: Final = 24 * _HOUR
_AUTO_CANCEL_MS: Final = 7 * _DAY
#: 100-ns ticks between the Gregorian epoch of UUID v1 (1582-10-15) and the Unix epoch.
_UUID_EPOCH_TICKS: Final = 0x01B21DD213814000


def _dst_switches() -> tuple[int, ...]:
    """UTC ms of every EU summer-time start and end (last Sunday of March / October, 01:00 UTC).

    Sellers and buyers live in Europe/Warsaw; we need local hours for business-hour scheduling
    and day boundaries, without tzdata (absent on Windows) and without per-call zoneinfo cost.
    """
    out: list[int] = []
    for year in range(1980, 2200):
        for month in (3, 10):
            last = date(year, month, 31)
            last -= timedelta(days=(last.weekday() + 1) % 7)  # back to Sunday
            out.append((last - date(1970, 1, 1)).days * _DAY + _HOUR)
    return tuple(out)


_DST_SWITCHES: Final = _dst_switches()


def _warsaw_offset(ms: int) -> int:
    """UTC offset of Europe/Warsaw at instant ``ms``, in ms (CET +1 h, CEST +2 h)."""
    return 2 * _HOUR if bisect.bisect_right(_DST_SWITCHES, ms) % 2 else _HOUR


def _to_ms(dt: datetime) -> int:
    """Milliseconds since the epoch (floor), for an aware datetime."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: the generator works in UTC, pass an aware one")
    return (dt - _EPOCH) // timedelta(milliseconds=1)


def _dt(ms: int) -> datetime:
    """Aware UTC datetime for ``ms`` (exact, no float rounding)."""
    return _EPOCH + timedelta(milliseconds=ms)


def _iso_ms(ms: int) -> str:
    """Allegro's timestamp format, e.g. ``2024-05-01T10:12:32.321Z``."""
    secs, milli = divmod(ms, 1000)
    t = time.gmtime(secs)
    return (f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T"
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{milli:03d}Z")


def _instant(ms: int) -> str:
    """Java ``Instant`` style used by Allegro in ``delivery.time``: no fraction when it is zero."""
    if ms % 1000:
        return _iso_ms(ms)
    t = time.gmtime(ms // 1000)
    return (f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T"
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}Z")


def iso(dt: datetime) -> str:
    """Format an aware datetime the way Allegro does: UTC, millisecond precision, trailing Z."""
    return _iso_ms(_to_ms(dt))


def _time_uuid_from_ticks(ticks: int, rng: random.Random) -> str:
    clock_seq = rng.getrandbits(14)
    node = rng.getrandbits(48) | 0x010000000000  # multicast bit: a random, not a MAC, node
    return (f"{ticks & 0xFFFFFFFF:08x}-{(ticks >> 32) & 0xFFFF:04x}-"
            f"{0x1000 | ((ticks >> 48) & 0x0FFF):04x}-{0x8000 | clock_seq:04x}-{node:012x}")


def time_uuid(at: datetime, rng: random.Random) -> str:
    """A version-1 (time-based) UUID whose timestamp is ``at``; node and clock_seq from ``rng``.

    Allegro's checkout-form ids are time UUIDs and the API rejects others ("Not valid time UUID"),
    so the emulator must mint them too - deterministically, hence our own RNG, not uuid.uuid1().
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: pass an aware one")
    ticks = (at - _EPOCH) // timedelta(microseconds=1) * 10 + _UUID_EPOCH_TICKS
    return _time_uuid_from_ticks(ticks, rng)


def _time_uuid_ms(ms: int, rng: random.Random) -> str:
    return _time_uuid_from_ticks(ms * 10_000 + _UUID_EPOCH_TICKS, rng)


def _uuid4(rng: random.Random) -> str:
    """A random (version 4) UUID from ``rng`` - uuid.uuid4() would break determinism."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


class _FastRandom(random.Random):
    """``random.Random`` whose ``randrange``/``choice`` use one ``random()`` call.

    The stdlib versions go through ``_randbelow`` (rejection sampling with getrandbits) and cost
    several times more; they were the largest item in the profile of a 100k-order history.  The
    tiny bias of ``int(random() * n)`` is irrelevant for test data, and the sequence stays fully
    determined by the seed.
    """

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step != 1 or stop <= start:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
        return seq[int(self.random() * len(seq))]


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building a big history, then restore its previous state.

    A 100k-order history is millions of small acyclic dicts; the collector would walk the growing
    heap again and again (about half of the run time) without ever finding garbage.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _amount(minor: int) -> str:
    """Integer minor units -> Allegro amount string with two decimals (``"49.99"``)."""
    return f"{minor // 100}.{minor % 100:02d}"


def _money(minor: int, currency: str) -> dict[str, Any]:
    return {"amount": _amount(minor), "currency": currency}


_FOLD: Final = MappingProxyType(str.maketrans({
    "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
    "Ą": "A", "Ć": "C", "Ę": "E", "Ł": "L", "Ń": "N", "Ó": "O", "Ś": "S", "Ź": "Z", "Ż": "Z",
    "á": "a", "é": "e", "í": "i", "ý": "y", "ú": "u", "ů": "u", "č": "c", "ď": "d", "ě": "e",
    "ň": "n", "ř": "r", "š": "s", "ť": "t", "ž": "z", "ö": "o", "ő": "o", "ü": "u", "ű": "u",
    "ä": "a", "ô": "o", "ĺ": "l", "ľ": "l", "ŕ": "r", "Č": "C", "Ř": "R", "Š": "S", "Ž": "Z",
    "Á": "A", "É": "E", "Í": "I", "Ö": "O", "Ü": "U", "Ú": "U", "Ľ": "L", "Ť": "T", "Ď": "D",
    " ": "", "-": "", "'": "", ".": "",
}))


def _fold(text: str) -> str:
    """ASCII-fold a name for logins and e-mails (``Łódź`` -> ``Lodz``)."""
    return text.translate(_FOLD)


# --------------------------------------------------------------------------------------------
# Static data: markets, people, places, products, delivery
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Market:
    id: str
    currency: str
    country: str
    language: str
    weight: float
    smart_min: int  # minimum basket value (minor units) for free Smart! delivery
    smart_share: float  # chance that an eligible buyer uses Smart!
    tax_rate: str


_MARKETS: Final = (
    _Market("allegro-pl", "PLN", "PL", "pl-PL", 0.90, 4500, 0.86, "23.00"),
    _Market("allegro-cz", "CZK", "CZ", "cs-CZ", 0.05, 30000, 0.5, "21.00"),
    _Market("allegro-sk", "EUR", "SK", "sk-SK", 0.03, 1200, 0.5, "23.00"),
    _Market("allegro-hu", "HUF", "HU", "hu-HU", 0.02, 450000, 0.5, "27.00"),
)
_MARKET_CUM: Final = tuple(accumulate(m.weight for m in _MARKETS))
_PL, _CZ, _SK, _HU = 0, 1, 2, 3
_COUNTRY_MARKET: Final = MappingProxyType({m.country: i for i, m in enumerate(_MARKETS)})


def _convert(pln_minor: int, market: int) -> int:
    """A PLN catalogue price in the marketplace's currency, rounded like real foreign listings
    (CZK whole crowns ending in 9, EUR .49/.99, HUF whole forints ending in 90)."""
    if market == _PL:
        return pln_minor
    if market == _CZ:
        crowns = -(-pln_minor * 58 // 1000)
        return (crowns - crowns % 10 + 9) * 100
    if market == _SK:
        cents = pln_minor * 235 // 1000
        return cents // 100 * 100 + (49 if cents % 100 < 50 else 99)
    forints = pln_minor * 92 // 100
    return max((forints + 5) // 10 * 10 - 10, 90) * 100


# -- Polish people -------------------------------------------------------------------------

#: Faker's female list is modern baby names; buyers are adults, so add the common adult names
#: (listed first and weighted up below).
_PL_FEMALE_COMMON: Final = (
    "Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna",
    "Aleksandra", "Monika", "Natalia", "Karolina", "Marta", "Beata", "Dorota", "Paulina",
    "Justyna", "Iwona", "Grażyna", "Renata", "Weronika", "Zofia", "Zuzanna", "Julia", "Agata",
    "Izabela", "Edyta", "Emilia", "Patrycja", "Kinga", "Alicja", "Martyna", "Wiktoria",
    "Halina", "Jolanta", "Bożena", "Łucja", "Teresa", "Danuta", "Elżbieta", "Żaneta",
)
_PL_MALE_COMMON: Final = (
    "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał", "Łukasz", "Jakub", "Adam",
    "Andrzej", "Grzegorz", "Mariusz", "Marek", "Kamil", "Dariusz", "Zbigniew", "Janusz",
    "Sławomir", "Mirosław", "Wojciech", "Jarosław", "Bartłomiej", "Przemysław", "Leszek",
)
_PL_FEMALE_NAMES: Final = _PL_FEMALE_COMMON + tuple(
    n for n in _PlPersonProvider.first_names_female if n not in _PL_FEMALE_COMMON)
_PL_MALE_NAMES: Final = _PL_MALE_COMMON + tuple(
    n for n in _PlPersonProvider.first_names_male if n not in _PL_MALE_COMMON)


def _female_surname(male: str) -> str:
    """Polish feminine surname form: Kowalski -> Kowalska, Czarny -> Czarna, Nowak -> Nowak."""
    if male.endswith("ki"):
        return male[:-1] + "a"
    if male.endswith(("ny", "ły", "wy", "ry")):
        return male[:-1] + "a"
    return male


#: (masculine, feminine) pairs: the 200 most common surnames, then Faker's long tail of
#: gender-neutral ones (minus the few that look like a -ska/-ski form, e.g. "Kloska", which a
#: Polish reader would take for a woman's surname on a man).
_PL_SURNAMES: Final = tuple(
    (s, _female_surname(s)) for s in _PlPersonProvider.male_last_names
) + tuple((s, s) for s in _PlPersonProvider.unisex_last_names
          if not s.endswith(("ska", "cka", "ski", "cki")))
_PL_COMMON_SURNAMES: Final = len(_PlPersonProvider.male_last_names)

#: Login diminutives (``kasia_nowak87``), keyed by the full first name.
_DIMINUTIVES: Final = MappingProxyType({
    "Katarzyna": "kasia", "Małgorzata": "gosia", "Joanna": "asia", "Aleksandra": "ola",
    "Barbara": "basia", "Magdalena": "madzia", "Agnieszka": "aga", "Anna": "ania",
    "Zuzanna": "zuza", "Monika": "monia", "Elżbieta": "ela", "Natalia": "nati",
    "Weronika": "wera", "Wiktoria": "wika", "Dorota": "dorotka", "Justyna": "justa",
    "Jakub": "kuba", "Tomasz": "tomek", "Wojciech": "wojtek", "Krzysztof": "krzysiek",
    "Piotr": "piotrek", "Mateusz": "mati", "Grzegorz": "grzesiek", "Aleksander": "olek",
    "Stanisław": "staszek", "Józef": "jozek", "Bartłomiej": "bartek", "Przemysław": "przemek",
    "Sławomir": "slawek", "Mirosław": "mirek", "Jarosław": "jarek", "Andrzej": "andrzej",
    "Marcin": "marcin", "Michał": "michal", "Paweł": "pawel", "Łukasz": "lukasz",
})
_NICK_WORDS: Final = (
    "kotek", "misiek", "zabka", "lisek", "sowa", "wilk", "tygrys", "rybka", "jezyk", "orzel",
    "biedronka", "motylek", "szczupak", "borsuk", "pszczolka", "kruk", "bobas", "gracz",
)
_NICK_ADJ: Final = ("szybki", "dziki", "wesoly", "maly", "duzy", "zloty", "cichy", "mega",
                    "super", "stary", "mlody", "sprytny")
_PL_MAIL_DOMAINS: Final = (
    ("gmail.com", 30), ("wp.pl", 15), ("o2.pl", 11), ("onet.pl", 10), ("interia.pl", 10),
    ("op.pl", 5), ("outlook.com", 4), ("poczta.onet.pl", 2), ("vp.pl", 2), ("tlen.pl", 2),
    ("icloud.com", 2), ("interia.eu", 1), ("poczta.fm", 1), ("yahoo.com", 1),
)
_PL_MOBILE_PREFIXES: Final = (
    "500", "501", "502", "503", "504", "505", "506", "507", "508", "509", "510", "511", "512",
    "513", "514", "515", "516", "517", "518", "519", "530", "531", "532", "533", "534", "535",
    "536", "537", "538", "539", "570", "571", "572", "573", "574", "575", "576", "577", "578",
    "579", "600", "601", "602", "603", "604", "605", "606", "607", "608", "609", "660", "661",
    "662", "663", "664", "665", "666", "667", "668", "669", "690", "691", "692", "693", "694",
    "695", "696", "697", "698", "720", "721", "722", "723", "724", "725", "726", "727", "728",
    "729", "730", "731", "732", "733", "734", "735", "736", "737", "738", "739", "780", "781",
    "782", "783", "784", "785", "786", "787", "788", "789", "790", "791", "792", "793", "794",
    "795", "796", "797", "798", "799", "880", "881", "882", "883", "884", "885", "886", "887",
    "888", "889",
)

# -- Polish places ----------------------------------------------------------------------------

#: Real first two post-code digits of the bigger cities (others get a stable pseudo prefix).
_PL_POST_PREFIXES: Final = MappingProxyType({
    "Warszawa": ("00", "01", "02", "03", "04"), "Kraków": ("30", "31"),
    "Łódź": ("90", "91", "92", "93", "94"), "Wrocław": ("50", "51", "52", "53", "54"),
    "Poznań": ("60", "61"), "Gdańsk": ("80",), "Szczecin": ("70", "71"), "Bydgoszcz": ("85",),
    "Lublin": ("20",), "Katowice": ("40",), "Białystok": ("15",), "Gdynia": ("81",),
    "Częstochowa": ("42",), "Radom": ("26",), "Sosnowiec": ("41",), "Toruń": ("87",),
    "Kielce": ("25",), "Gliwice": ("44",), "Rzeszów": ("35",), "Zabrze": ("41",),
    "Bytom": ("41",), "Olsztyn": ("10",), "Bielsko-Biała": ("43",), "Ruda Śląska": ("41",),
    "Rybnik": ("44",), "Tychy": ("43",), "Dąbrowa Górnicza": ("41",),
    "Gorzów Wielkopolski": ("66",), "Elbląg": ("82",), "Płock": ("09",), "Opole": ("45",),
    "Wałbrzych": ("58",), "Zielona Góra": ("65",), "Włocławek": ("87",), "Tarnów": ("33",),
    "Chorzów": ("41",), "Koszalin": ("75",), "Kalisz": ("62",), "Legnica": ("59",),
    "Grudziądz": ("86",), "Jaworzno": ("43",), "Słupsk": ("76",), "Jastrzębie-Zdrój": ("44",),
    "Nowy Sącz": ("33",), "Jelenia Góra": ("58",), "Siedlce": ("08",), "Mysłowice": ("41",),
    "Konin": ("62",), "Piła": ("64",), "Piotrków Trybunalski": ("97",), "Inowrocław": ("88",),
    "Lubin": ("59",), "Ostrów Wielkopolski": ("63",), "Suwałki": ("16",), "Stargard": ("73",),
    "Gniezno": ("62",), "Głogów": ("67",), "Pabianice": ("95",), "Leszno": ("64",),
    "Zamość": ("22",), "Pruszków": ("05",), "Łomża": ("18",), "Ełk": ("19",), "Chełm": ("22",),
    "Mielec": ("39",), "Przemyśl": ("37",), "Stalowa Wola": ("37",), "Tczew": ("83",),
    "Biała Podlaska": ("21",), "Bełchatów": ("97",), "Świdnica": ("58",), "Będzin": ("42",),
    "Zgierz": ("95",), "Racibórz": ("47",), "Legionowo": ("05",), "Ostrołęka": ("07",),
    "Wejherowo": ("84",), "Zawiercie": ("42",), "Skierniewice": ("96",), "Kołobrzeg": ("78",),
    "Puławy": ("24",), "Krosno": ("38",), "Otwock": ("05",), "Sopot": ("81",),
    "Zakopane": ("34",), "Piaseczno": ("05",), "Ząbki": ("05",), "Marki": ("05",),
})
#: InPost-style three-letter city codes of Paczkomat ids (``WAW123M``).
_PL_CITY_CODES: Final = MappingProxyType({
    "Warszawa": "WAW", "Kraków": "KRA", "Łódź": "LOD", "Wrocław": "WRO", "Poznań": "POZ",
    "Gdańsk": "GDA", "Szczecin": "SZC", "Bydgoszcz": "BYD", "Lublin": "LUB", "Katowice": "KAT",
    "Białystok": "BIA", "Gdynia": "GDY", "Częstochowa": "CZE", "Radom": "RAD", "Toruń": "TOR",
    "Kielce": "KIE", "Rzeszów": "RZE", "Olsztyn": "OLS", "Bielsko-Biała": "BBI", "Opole": "OPO",
})
#: Faker's "universal" streets include a few that only make sense with a prefix.
_STREET_FIXES: Final = MappingProxyType({
    "Stycznia": "22 Stycznia", "Maja": "3 Maja", "Listopada": "11 Listopada", "Jana": "św. Jana",
    "Wojciecha": "św. Wojciecha", "Floriana": "św. Floriana", "Plater": "Emilii Plater",
    "Jadwigi": "Królowej Jadwigi", "Powstańców": "Powstańców Warszawy",
})
_PL_STREETS: Final = tuple(
    _STREET_FIXES.get(s, s) for s in _PlAddressProvider.streets_adjective_feminine
    + _PlAddressProvider.streets_universal)
_PL_CITIES: Final = tuple(_PlAddressProvider.cities)
_PL_CITY_CUM: Final = tuple(accumulate(1.0 / (rank + 3) ** 0.85 for rank in range(len(_PL_CITIES))))
_PL_TAX_OFFICES: Final = tuple(_PlPersonProvider.tax_office_codes)


def _pl_city_prefixes(city: str) -> tuple[str, ...]:
    known = _PL_POST_PREFIXES.get(city)
    if known:
        return known
    return (f"{zlib.crc32(city.encode()) % 90 + 5:02d}",)  # stable across runs, unlike hash()


def _pl_city_code(city: str) -> str:
    return _PL_CITY_CODES.get(city) or _fold(city).upper()[:3]


_PL_CITY_INFO: Final = tuple((c, _pl_city_prefixes(c), _pl_city_code(c)) for c in _PL_CITIES)

# -- foreign marketplaces: small local data is enough -------------------------------------


@dataclass(frozen=True, slots=True)
class _Locale:
    """Names and places of one foreign marketplace's buyers."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (masculine, feminine)
    cities: tuple[tuple[str, tuple[str, ...]], ...]  # (city, post codes)
    streets: tuple[str, ...]
    phone_prefix: str
    phone_starts: tuple[str, ...]
    mail_domains: tuple[str, ...]
    point_description: str


_CZ_LOCALE: Final = _Locale(
    male=("Jan", "Petr", "Josef", "Pavel", "Martin", "Tomáš", "Jaroslav", "Jiří", "Lukáš",
          "Ondřej", "Jakub", "David", "Michal", "Karel", "Vojtěch"),
    female=("Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra",
            "Alena", "Petra", "Veronika", "Tereza", "Markéta", "Zuzana"),
    surnames=(("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"),
              ("Dvořák", "Dvořáková"), ("Černý", "Černá"), ("Procházka", "Procházková"),
              ("Kučera", "Kučerová"), ("Veselý", "Veselá"), ("Horák", "Horáková"),
              ("Němec", "Němcová"), ("Pokorný", "Pokorná"), ("Pospíšil", "Pospíšilová"),
              ("Hájek", "Hájková"), ("Král", "Králová"), ("Jelínek", "Jelínková"),
              ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"),
              ("Sedláček", "Sedláčková"), ("Marek", "Marková")),
    cities=(("Praha", ("110 00", "120 00", "130 00", "140 00", "150 00", "160 00", "170 00",
                       "190 00")),
            ("Brno", ("602 00", "612 00", "615 00", "625 00")), ("Ostrava", ("702 00", "708 00")),
            ("Plzeň", ("301 00", "326 00")), ("Liberec", ("460 01",)), ("Olomouc", ("779 00",)),
            ("České Budějovice", ("370 01",)), ("Hradec Králové", ("500 02",)),
            ("Ústí nad Labem", ("400 01",)), ("Pardubice", ("530 02",)), ("Zlín", ("760 01",)),
            ("Jihlava", ("586 01",))),
    streets=("Národní", "Vinohradská", "Masarykova", "Husova", "Palackého", "Nádražní",
             "Komenského", "Smetanova", "Jiráskova", "Tyršova", "Sokolská", "Školní", "Zahradní",
             "Polní", "Žižkova"),
    phone_prefix="+420", phone_starts=("6", "7"),
    mail_domains=("gmail.com", "seznam.cz", "email.cz", "centrum.cz", "post.cz"),
    point_description="Výdejní místo Zásilkovna",
)
_SK_LOCALE: Final = _Locale(
    male=("Peter", "Martin", "Jozef", "Ján", "Michal", "Tomáš", "Lukáš", "Marek", "Miroslav",
          "Juraj", "Matej", "Andrej", "Štefan"),
    female=("Mária", "Jana", "Zuzana", "Eva", "Katarína", "Lucia", "Martina", "Veronika",
            "Monika", "Ivana", "Simona", "Petra"),
    surnames=(("Horváth", "Horváthová"), ("Kováč", "Kováčová"), ("Varga", "Vargová"),
              ("Tóth", "Tóthová"), ("Baláž", "Balážová"), ("Molnár", "Molnárová"),
              ("Lukáč", "Lukáčová"), ("Novák", "Nováková"), ("Kollár", "Kollárová"),
              ("Oravec", "Oravcová"), ("Polák", "Poláková"), ("Hudák", "Hudáková"),
              ("Kováčik", "Kováčiková"), ("Krajčovič", "Krajčovičová"), ("Gajdoš", "Gajdošová")),
    cities=(("Bratislava", ("811 01", "821 08", "831 01", "841 01", "851 01")),
            ("Košice", ("040 01", "040 11", "040 22")), ("Prešov", ("080 01",)),
            ("Žilina", ("010 01",)), ("Banská Bystrica", ("974 01",)), ("Nitra", ("949 01",)),
            ("Trnava", ("917 01",)), ("Trenčín", ("911 01",)), ("Martin", ("036 01",)),
            ("Poprad", ("058 01",))),
    streets=("Obchodná", "Hlavná", "Štúrova", "Mierová", "Hviezdoslavova", "Školská",
             "Záhradnícka", "Bajkalská", "Dlhá", "Nová", "Kpt. Jaroša", "Partizánska"),
    phone_prefix="+421", phone_starts=("9",),
    mail_domains=("gmail.com", "azet.sk", "centrum.sk", "zoznam.sk", "post.sk"),
    point_description="Výdajné miesto Packeta",
)
_HU_LOCALE: Final = _Locale(
    male=("László", "István", "József", "János", "Zoltán", "Sándor", "Gábor", "Ferenc",
          "Attila", "Péter", "Tamás", "Balázs"),
    female=("Mária", "Erzsébet", "Katalin", "Éva", "Ilona", "Anna", "Zsuzsanna", "Judit",
            "Ágnes", "Andrea", "Krisztina", "Eszter"),
    surnames=tuple((s, s) for s in (
        "Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh",
        "Farkas", "Balogh", "Papp", "Takács", "Juhász", "Lakatos", "Mészáros", "Oláh", "Rácz")),
    cities=(("Budapest", ("1051", "1061", "1072", "1085", "1095", "1111", "1134", "1146",
                          "1155", "1181", "1203")),
            ("Debrecen", ("4024", "4025", "4026", "4031")), ("Szeged", ("6720", "6721", "6723")),
            ("Miskolc", ("3525", "3526", "3530")), ("Pécs", ("7621", "7622", "7624")),
            ("Győr", ("9021", "9022", "9024")), ("Nyíregyháza", ("4400",)),
            ("Kecskemét", ("6000",)), ("Székesfehérvár", ("8000",)), ("Eger", ("3300",))),
    streets=("Váci utca", "Petőfi Sándor utca", "Kossuth Lajos utca", "Rákóczi út",
             "Dózsa György út", "Arany János utca", "Ady Endre utca", "Szabadság tér",
             "Jókai utca", "Bajcsy-Zsilinszky út", "Fő utca"),
    phone_prefix="+36", phone_starts=("20", "30", "70"),
    mail_domains=("gmail.com", "freemail.hu", "citromail.hu", "t-online.hu", "outlook.hu"),
    point_description="Packeta átvételi pont",
)
_LOCALES: Final = (None, _CZ_LOCALE, _SK_LOCALE, _HU_LOCALE)

# -- companies ---------------------------------------------------------------------------------

_COMPANY_STEMS: Final = ("Bud", "Tech", "Eko", "Agro", "Trans", "Med", "Dom", "Inter", "Euro",
                         "Nova", "Pol", "Elektro", "Auto", "Drew", "Stal", "Term", "Inst")
_COMPANY_TAILS: Final = ("pol", "mar", "ex", "tex", "serwis", "bud", "net", "med", "plast",
                         "trans", "max", "rem")
_COMPANY_TRADES: Final = ("Zakład Usług Remontowych", "Gabinet Stomatologiczny",
                          "Kwiaciarnia", "Biuro Rachunkowe", "Salon Fryzjerski",
                          "Warsztat Samochodowy", "Kancelaria Prawna", "Sklep Spożywczy",
                          "Pracownia Krawiecka", "Przedszkole Niepubliczne")

# -- catalogue: a gadget shop (phone accessories + home & kitchen + a little garden) ----------

_PHONE_MODELS: Final = (
    ("iPhone 15 Pro", "IP15P"), ("iPhone 15", "IP15"), ("iPhone 14", "IP14"),
    ("iPhone 13", "IP13"), ("Samsung Galaxy S24", "S24"), ("Samsung Galaxy A55", "A55"),
    ("Xiaomi Redmi Note 13", "RN13"),
)
_CASE_COLOURS: Final = (("czarne", "BLK"), ("granatowe", "NAV"), ("przezroczyste", "CLR"))


def _catalogue_rows() -> tuple[tuple[str, str | None, int], ...]:
    """(title, SKU, PLN price in grosze) of every offer the shop lists."""
    rows: list[tuple[str, str | None, int]] = []
    for model, code in _PHONE_MODELS:
        for colour, ccode in _CASE_COLOURS:
            rows.append((f"Etui silikonowe do {model} {colour}", f"ETUI-{code}-{ccode}", 2999))
        rows.append((f"Szkło hartowane 9H do {model} na cały ekran", f"SZKLO-{code}", 1999))
    for model, code in _PHONE_MODELS[:4]:
        rows.append((f"Etui z klapką portfel do {model} skóra eko czarne", f"FLIP-{code}-BLK",
                     4999))
        rows.append((f"Etui MagSafe do {model} matowe różowe", f"MAGS-{code}-PNK", 3999))
    rows += [
        ("Ładowarka USB-C 20W szybkie ładowanie PD biała", "LAD-20W-WHT", 3999),
        ("Ładowarka sieciowa GaN 65W 2x USB-C 1x USB-A", "LAD-GAN65", 11999),
        ("Ładowarka samochodowa 38W USB-C + USB-A QC 3.0", "LAD-CAR38", 4499),
        ("Ładowarka indukcyjna 15W Qi podstawka do telefonu", "LAD-QI15", 5999),
        ("Kabel USB-C - USB-C 1 m 60W oplot nylonowy", "KAB-CC-1M", 1999),
        ("Kabel USB-C - USB-C 2 m 100W oplot nylonowy", "KAB-CC-2M", 2999),
        ("Kabel USB-C - Lightning 1 m do iPhone MFi", "KAB-CL-1M", 3999),
        ("Kabel 3w1 USB-C Lightning microUSB 1,2 m", "KAB-3W1", 2499),
        ("Uchwyt samochodowy magnetyczny na kratkę wentylacji", "UCH-MAG-WENT", 3499),
        ("Uchwyt rowerowy na telefon 360° aluminiowy", "UCH-ROWER", 4999),
        ("Powerbank 10000 mAh USB-C PD 20W slim czarny", "PB-10K", 8999),
        ("Powerbank 20000 mAh z wyświetlaczem LED 22,5W", "PB-20K", 12999),
        ("Słuchawki bezprzewodowe TWS Bluetooth 5.3 czarne", "TWS-BT53-BLK", 8999),
        ("Słuchawki bezprzewodowe TWS Bluetooth 5.3 białe", "TWS-BT53-WHT", 8999),
        ("Pasek silikonowy do Apple Watch 42/44/45 mm czarny", "PAS-AW45-BLK", 2499),
        ("Pasek silikonowy do Apple Watch 42/44/45 mm granatowy", "PAS-AW45-NAV", 2499),
        ("Pasek nylonowy do Apple Watch 38/40/41 mm różowy", "PAS-AW41-PNK", 2999),
        ("Statyw selfie stick z pilotem Bluetooth 1,1 m", "SELFIE-110", 5499),
        ("Lampa pierścieniowa LED 26 cm ze statywem 2 m", "RING-26", 7999),
        ("Karta pamięci microSD 128 GB klasa 10 A1 z adapterem", "SD-128", 4999),
        ("Adapter USB-C na jack 3,5 mm do słuchawek", "ADP-C-JACK", 1499),
        ("Hub USB-C 6w1 HDMI 4K USB 3.0 czytnik kart SD", "HUB-6W1", 9999),
        ("Rysik pojemnościowy do tabletu i telefonu", "RYSIK-01", 1999),
        ("Kubek termiczny 450 ml stal nierdzewna czarny", "KUB-450-BLK", 5999),
        ("Kubek termiczny 450 ml stal nierdzewna miętowy", "KUB-450-MNT", 5999),
        ("Kubek termiczny 450 ml stal nierdzewna różowy", "KUB-450-PNK", 5999),
        ("Butelka termiczna 750 ml stalowa 24h zimne 12h ciepłe", "BUT-750", 6999),
        ("Zestaw pojemników szklanych na żywność 5 szt. z pokrywkami", "POJ-SZK-5", 8999),
        ("Pojemnik próżniowy na kawę 1,2 l z zaworem", "POJ-KAWA", 4999),
        ("Deska do krojenia bambusowa zestaw 3 szt.", "DESKA-BAMB-3", 5999),
        ("Nóż szefa kuchni 20 cm stal japońska", "NOZ-SZEF-20", 8999),
        ("Zestaw noży kuchennych 6 el. w bloku drewnianym", "NOZE-BLOK-6", 19999),
        ("Patelnia granitowa 28 cm indukcja nieprzywierająca", "PAT-GRAN-28", 9999),
        ("Garnek stalowy 5 l z pokrywką indukcja", "GAR-5L", 11999),
        ("Waga kuchenna elektroniczna do 5 kg szklana", "WAGA-5KG", 3999),
        ("Młynek do kawy ręczny żarnowy regulowany", "MLYNEK-RECZ", 7999),
        ("Spieniacz do mleka elektryczny ręczny na baterie", "SPIEN-01", 2499),
        ("French press zaparzacz do kawy 1 l szklany", "FPRESS-1L", 4999),
        ("Termometr kuchenny szpilkowy do mięsa LCD", "TERM-SZP", 2999),
        ("Foremki silikonowe do muffinek 12 szt.", "FOR-MUF-12", 1999),
        ("Mata do pieczenia silikonowa 40x30 cm", "MATA-4030", 2499),
        ("Obieraczka do warzyw typu Y stal nierdzewna", "OBIER-Y", 1299),
        ("Tarka czterostronna stalowa z pojemnikiem", "TARKA-4", 3499),
        ("Lunchbox 2-komorowy 1,4 l ze sztućcami zielony", "LUNCH-GRN", 3999),
        ("Lunchbox 2-komorowy 1,4 l ze sztućcami szary", "LUNCH-GRY", 3999),
        ("Organizer na sztućce do szuflady bambusowy rozsuwany", "ORG-SZUF", 6999),
        ("Suszarka do naczyń dwupoziomowa z ociekaczem", "SUSZ-NACZ", 8999),
        ("Dozownik do mydła bezdotykowy 350 ml", "DOZ-350", 4999),
        ("Lampka nocna LED z czujnikiem ruchu USB 3 szt.", "LAMP-PIR-3", 5999),
        ("Taśma LED RGB 5 m z pilotem i aplikacją", "LED-RGB-5M", 4999),
        ("Żarówka LED E27 10W barwa ciepła 4 szt.", "ZAR-E27-4", 2999),
        ("Listwa zasilająca 5 gniazd 3x USB 1,5 m z wyłącznikiem", "LISTWA-5", 5999),
        ("Wieszak na drzwi 5 haczyków metalowy czarny", "WIESZ-5", 2999),
        ("Kosz na pranie składany 60 l z pokrywą", "KOSZ-60", 4999),
        ("Ściereczki z mikrofibry 30x30 cm zestaw 10 szt.", "MIKRO-10", 2499),
        ("Mop obrotowy z wiadrem i 2 wkładami", "MOP-OBR", 12999),
        ("Ręcznik kąpielowy bawełniany 70x140 cm szary", "REC-70-GRY", 3999),
        ("Ręcznik kąpielowy bawełniany 70x140 cm biały", "REC-70-WHT", 3999),
        ("Poduszka ortopedyczna z pianką memory 50x30 cm", "POD-ORTO", 7999),
        ("Koc polarowy 150x200 cm miękki beżowy", "KOC-150-BEZ", 4999),
        ("Koc polarowy 150x200 cm miękki grafitowy", "KOC-150-GRF", 4999),
        ("Świeca sojowa zapachowa w szkle 200 g wanilia", "SWIECA-WAN", 3499),
        ("Lampa solarna ogrodowa LED wbijana 6 szt.", "SOL-LED-6", 6999),
        ("Zraszacz ogrodowy obrotowy trójramienny", "ZRASZ-3R", 2999),
        ("Wąż ogrodowy 1/2\" 20 m z pistoletem", "WAZ-20M", 8999),
        ("Rękawice ogrodowe nitrylowe rozmiar 8 (M)", "REK-NIT-M", 999),
        ("Doniczka ceramiczna 16 cm z podstawką biała", "DON-16-WHT", 3499),
    ]
    return tuple(rows)


_CATALOGUE_ROWS: Final = _catalogue_rows()

# -- delivery ----------------------------------------------------------------------------------

_LOCKER, _COURIER, _POINT_ONEBOX, _POINT_ORLEN, _POINT_PACKETA, _PICKUP = range(6)


@dataclass(frozen=True, slots=True)
class _Method:
    id: str
    name: str
    kind: int
    cost: int  # minor units of the marketplace currency
    weight: float
    smart: bool  # may be free with Allegro Smart!
    cod: bool  # cash on delivery
    transit_days: int


#: Delivery methods per marketplace.  The InPost id is the real production one; the others are
#: fixed made-up UUIDs (stable, so filters by delivery.method.id work across runs).
_METHODS: Final = (
    (
        _Method("2488f7b7-5d1c-4d65-b85c-4cbcf253fd93", "Allegro Paczkomaty InPost", _LOCKER,
                1299, 40, True, False, 1),
        _Method("7bc5e9b0-3d5a-4c0e-9f1e-2a6f5c0d8e11", "Allegro Kurier DPD", _COURIER, 1599, 11,
                True, False, 1),
        _Method("c3a1f5d2-8b4e-4f6a-a2d9-5e7b1c3f9a22", "Allegro Kurier DHL", _COURIER, 1699, 8,
                True, False, 1),
        _Method("9e2d4c7a-1f3b-4a5e-8c6d-0b9a7f5e3d33", "Allegro One Box", _POINT_ONEBOX, 999, 9,
                True, False, 2),
        _Method("4f8a2b6c-9d1e-4e3f-b5a7-c2d4e6f8a044", "Allegro Odbiór w Punkcie Orlen Paczka",
                _POINT_ORLEN, 949, 7, True, False, 2),
        _Method("1a3c5e7f-2b4d-4f6a-8c9e-d0f2a4b6c855", "Allegro MiniPaczka", _COURIER, 699, 6,
                True, False, 2),
        _Method("6d8f0a2c-4e6b-4d8f-a1c3-e5f7b9d1f366", "Allegro Kurier Pocztex", _COURIER, 1399,
                4, True, False, 2),
        _Method("e0b2d4f6-8a1c-4e3a-9b5d-7f9c1e3a5b77", "Kurier InPost pobranie", _COURIER, 2199,
                4, False, True, 1),
        _Method("5c7e9a1b-3d5f-4b7d-8e0a-2c4e6a8c0d88", "Allegro Paczkomaty InPost pobranie",
                _LOCKER, 1699, 3, False, True, 1),
        _Method("b8d0f2a4-6c8e-4a0c-9d2f-4b6d8f0b2e99", "Odbiór osobisty", _PICKUP, 0, 3, False,
                False, 0),
    ),
    (
        _Method("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1aa", "Allegro International Kurier DPD",
                _COURIER, 11900, 55, True, False, 3),
        _Method("1e2d3c4b-5a69-4877-9665-b4c3d2e1f0bb", "Allegro International Punkty Packeta",
                _POINT_PACKETA, 7900, 45, True, False, 3),
    ),
    (
        _Method("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1ac", "Allegro International Kurier DPD",
                _COURIER, 499, 55, True, False, 3),
        _Method("1e2d3c4b-5a69-4877-9665-b4c3d2e1f0bc", "Allegro International Punkty Packeta",
                _POINT_PACKETA, 299, 45, True, False, 3),
    ),
    (
        _Method("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1ad", "Allegro International Kurier DPD",
                _COURIER, 199000, 60, True, False, 4),
        _Method("1e2d3c4b-5a69-4877-9665-b4c3d2e1f0bd", "Allegro International Punkty Packeta",
                _POINT_PACKETA, 129000, 40, True, False, 4),
    ),
)
_METHOD_CUMS: Final = tuple(tuple(accumulate(m.weight for m in ms)) for ms in _METHODS)
_LOCKER_SPOTS: Final = (
    "Przy sklepie Żabka", "Stacja paliw Orlen", "Przy wejściu do Biedronki", "Parking przy Lidlu",
    "Obok apteki", "Przy markecie Dino", "Osiedle, obok placu zabaw", "Stacja paliw BP",
    "Galeria handlowa, poziom -1", "Przy przystanku autobusowym", "Obok poczty",
    "Przy sklepie Lewiatan", "Parking przy Kauflandzie", "Przy bloku nr 12, od podwórza",
)
_ORLEN_SPOTS: Final = ("Stacja ORLEN", "Kiosk RUCH", "Sklep Żabka", "Stacja ORLEN, sklep")
_MESSAGES: Final = (
    "Proszę o szybką wysyłkę", "Paczka na prezent, bez paragonu w środku",
    "Czy można wysłać jeszcze dziś?", "Proszę dobrze zabezpieczyć, to na prezent",
    "Proszę o fakturę na maila", "Jeśli nie będzie koloru czarnego, to może być granatowy",
    "Proszę o kontakt SMS przed wysyłką", "Zamawiam drugi raz, poprzedni super :)",
    "Będę w domu dopiero po 17:00", "Proszę nie dzwonić, tylko SMS",
    "Prezent dla mamy - proszę bez cen na opakowaniu", "Poproszę o wysyłkę w poniedziałek",
    "Zostawić u sąsiada pod 5, jeśli mnie nie będzie", "Czy mogę prosić o dodatkową folię?",
    "Proszę zapakować osobno, to dwa prezenty", "Pilne, wyjeżdżam w piątek",
)
_NOTES: Final = (
    "Stały klient - dorzucić gratis", "Faktura wysłana mailem", "Sprawdzić adres przed wysyłką",
    "Wysłane z magazynu B", "Zamiana koloru uzgodniona telefonicznie",
    "Klient prosił o paragon do paczki", "Dorzucić próbkę nowego etui",
)
_NOTE_SUSPENDED: Final = "Czeka na dostawę towaru od hurtowni"
_NOTE_RETURNED: Final = "Zwrot przyjęty, pieniądze oddane"

# --------------------------------------------------------------------------------------------
# Public data classes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratedEvent:
    """One entry of an order's event history, as the emulator's /order/events journal serves it."""

    type: str  # one of EVENT_TYPES
    occurred_at: datetime  # timezone-aware UTC, millisecond precision
    revision: str  # the checkout form's `revision` right after this event


@dataclass(slots=True)
class GeneratedOrder:
    """A generated order: its current checkout form and the whole event history behind it."""

    form: dict[str, Any]  # JSON-ready, exactly as GET /order/checkout-forms/{id} returns it
    events: list[GeneratedEvent]  # sorted by occurred_at


# --------------------------------------------------------------------------------------------
# Internal model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Offer:
    id: str
    name: str
    sku: str | None
    prices: tuple[int, ...]  # per marketplace, minor units


@dataclass(frozen=True, slots=True)
class _Company:
    name: str
    nip: str
    vat_status: str
    domain: str  # for the company's e-mail address


@dataclass(frozen=True, slots=True)
class _Buyer:
    id: str
    login: str
    email: str
    first: str
    last: str
    phone: str  # as the buyer typed it
    phone_digits: str  # national number, digits only
    street: str
    city: str
    post_code: str
    city_code: str  # for pickup point ids
    market: int
    guest: bool
    company: _Company | None


@dataclass(slots=True)
class _Ctx:
    """Mutable state of one generation run: its RNG and the shop's customer base so far."""

    rng: _FastRandom
    pools: tuple[list[_Buyer], ...] = field(default_factory=lambda: ([], [], [], []))
    buyer_ids: set[str] = field(default_factory=set)
    logins: set[str] = field(default_factory=set)
    #: (Warsaw day number, bought after 13:00, transit days) -> delivery.time strings; every
    #: order of a day shares them, and the calendar maths is a noticeable share of the run time.
    delivery_times: dict[tuple[int, bool, int], tuple[str, str, str, str]] = field(
        default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Force:
    """Constraints for a regenerated order (coverage pass, live mode)."""

    target: str | None = None  # state key, see _state_key()
    market: int | None = None
    modify: bool = False


# Story event: (ms, type, fulfillment status set by a FULFILLMENT_STATUS_CHANGED, RFP tag)
_Ev: TypeAlias = tuple[int, str, str | None, str | None]
_RFP_SURCHARGE = "surcharge"
_RFP_FUNDS = "funds"

_FATE_PAID, _FATE_NEVER_PAID, _FATE_CANCEL_UNPAID, _FATE_CANCEL_PAID = range(4)
_SHIP_PATHS: Final = (
    (("PROCESSING", "READY_FOR_SHIPMENT", "SENT"), 42.0),
    (("READY_FOR_SHIPMENT", "SENT"), 15.0),
    (("PROCESSING", "SENT"), 20.0),
    (("SENT",), 13.0),
    (("PROCESSING", "READY_FOR_SHIPMENT", "SENT", "RETURNED"), 1.6),
    (("PROCESSING", "SENT", "RETURNED"), 0.9),
    (("CANCELLED",), 0.7),
    (("PROCESSING", "CANCELLED"), 0.8),
    (("SUSPENDED",), 0.5),
    (("SUSPENDED", "PROCESSING", "READY_FOR_SHIPMENT", "SENT"), 0.6),
    (("PROCESSING",), 0.25),  # forgotten by the seller: stays PROCESSING
    (("PROCESSING", "READY_FOR_SHIPMENT"), 0.25),
)
_PICKUP_PATHS: Final = (
    (("PROCESSING", "READY_FOR_PICKUP", "PICKED_UP"), 50.0),
    (("READY_FOR_PICKUP", "PICKED_UP"), 40.0),
    (("PICKED_UP",), 8.0),
    (("CANCELLED",), 2.0),
)
_SHIP_CUM: Final = tuple(accumulate(w for _, w in _SHIP_PATHS))
_PICKUP_CUM: Final = tuple(accumulate(w for _, w in _PICKUP_PATHS))
#: Paths used when a state is forced (coverage pass).
_FORCED_PATHS: Final = MappingProxyType({
    "NEW": (), "PROCESSING": ("PROCESSING",),
    "READY_FOR_SHIPMENT": ("PROCESSING", "READY_FOR_SHIPMENT"),
    "READY_FOR_PICKUP": ("PROCESSING", "READY_FOR_PICKUP"),
    "SENT": ("PROCESSING", "READY_FOR_SHIPMENT", "SENT"),
    "PICKED_UP": ("READY_FOR_PICKUP", "PICKED_UP"),
    "SUSPENDED": ("SUSPENDED",), "RETURNED": ("PROCESSING", "SENT", "RETURNED"),
    "CANCELLED": ("PROCESSING", "CANCELLED"),
})
_RECENT_TARGETS: Final = frozenset({"BOUGHT", "FILLED_IN", "RFP:NEW", "RFP:PROCESSING",
                                    "RFP:READY_FOR_SHIPMENT", "RFP:READY_FOR_PICKUP"})
#: Every state a history of 200+ orders must contain (see history()).
_COVERAGE_KEYS: Final = (
    "BOUGHT", "FILLED_IN", *(f"RFP:{s}" for s in FULFILLMENT_STATUSES),
    "CANCELLED:BUYER", "CANCELLED:AUTO",
)
_COVERAGE_MIN_COUNT: Final = 200


def _state_key(form: dict[str, Any], events: Sequence[GeneratedEvent]) -> str:
    """A compact name of an order's lifecycle state, e.g. ``RFP:SENT`` or ``CANCELLED:AUTO``."""
    status = form["status"]
    if status == "READY_FOR_PROCESSING":
        return f"RFP:{form['fulfillment']['status']}"
    if status == "CANCELLED":
        return "CANCELLED:AUTO" if events[-1].type == "AUTO_CANCELLED" else "CANCELLED:BUYER"
    return str(status)


def _pick(cum: Sequence[float], rng: random.Random) -> int:
    """Index drawn from cumulative weights (faster than rng.choices for one draw)."""
    return bisect.bisect_right(cum, rng.random() * cum[-1])


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class OrderGenerator:
    """Seeded source of checkout forms and their event histories for one seller.

    The catalogue (offer ids, prices) depends only on ``(seed, seller_id)``; :meth:`history` is a
    pure function of ``(seed, seller_id, count, now, days)``; live-mode calls (:meth:`new_order`,
    :meth:`new_revision`, :meth:`random_address`) share one RNG whose state advances per call.
    After :meth:`history` the live calls also reuse its customers, so regulars keep coming back.
    """

    def __init__(self, *, seed: int, seller_id: str) -> None:
        self.seed = seed
        self.seller_id = seller_id
        cat_rng = _FastRandom(f"allegro-desktop/catalogue/{seed}/{seller_id}")
        ids: set[str] = set()
        offers: list[_Offer] = []
        for title, sku, price in _CATALOGUE_ROWS:
            offer_id = str(cat_rng.randrange(14_000_000_000, 18_600_000_000))
            while offer_id in ids:
                offer_id = str(cat_rng.randrange(14_000_000_000, 18_600_000_000))
            ids.add(offer_id)
            has_sku = cat_rng.random() < 0.85
            prices = tuple(_convert(price, m) for m in range(len(_MARKETS)))
            offers.append(_Offer(offer_id, title, sku if has_sku else None, prices))
        cat_rng.shuffle(offers)  # popularity rank: a few bestsellers, a long tail
        self._offers: tuple[_Offer, ...] = tuple(offers)
        self._offer_cum: tuple[float, ...] = tuple(
            accumulate(1.0 / (rank + 2) ** 0.9 for rank in range(len(offers))))
        self._live = _Ctx(_FastRandom(f"allegro-desktop/live/{seed}/{seller_id}"))

    # -- public API ---------------------------------------------------------------------------

    def history(self, count: int, *, now: datetime, days: int = 395) -> list[GeneratedOrder]:
        """``count`` orders bought during the ``days`` before ``now``, sorted by boughtAt.

        Recent weeks are denser than a year ago (the shop grows), with a weekly and daily rhythm
        and a pre-Christmas peak.  Each order's story is cut at ``now``.  With 200+ orders a
        coverage pass guarantees every lifecycle state and marketplace at least once.
        """
        if count < 0:
            raise ValueError("count must not be negative")
        if days < 1:
            raise ValueError("days must be at least 1")
        now_ms = _to_ms(now)
        ctx = _Ctx(_FastRandom(
            f"allegro-desktop/history/{self.seed}/{self.seller_id}/{count}/{now_ms}/{days}"))
        times = self._purchase_times(ctx.rng, count, now_ms, days)
        with _gc_paused():
            orders = [self._make_order(ctx, t0, now_ms, None) for t0 in times]
            if count >= _COVERAGE_MIN_COUNT:
                self._ensure_coverage(ctx, orders, times, now_ms)
                order_index = sorted(range(count), key=times.__getitem__)
                orders = [orders[i] for i in order_index]
        self._live.pools = ctx.pools
        self._live.buyer_ids |= ctx.buyer_ids
        self._live.logins |= ctx.logins
        return orders

    def new_order(self, *, at: datetime, paid: bool | None = None,
                  marketplace: str | None = None) -> GeneratedOrder:
        """One order bought a few minutes before ``at`` (live mode), on ``marketplace``
        (e.g. "allegro-cz"; default: drawn like the history's).

        Paid (default ~85 %): BOUGHT, FILLED_IN, READY_FOR_PROCESSING with fulfillment NEW.
        Unpaid: BOUGHT alone or BOUGHT + FILLED_IN.
        """
        at_ms = _to_ms(at)
        rng = self._live.rng
        market = None
        if marketplace is not None:
            market = next((i for i, m in enumerate(_MARKETS) if m.id == marketplace), None)
            if market is None:
                known = ", ".join(m.id for m in _MARKETS)
                raise ValueError(f"unsupported marketplace {marketplace!r}; use one of {known}")
        if paid is None:
            paid = rng.random() < 0.85
        target = "RFP:NEW" if paid else ("BOUGHT" if rng.random() < 0.45 else "FILLED_IN")
        t0 = at_ms - rng.randrange(15 * _SEC, 4 * _MIN)
        return self._make_order(self._live, t0, at_ms, _Force(target=target, market=market))

    def new_revision(self) -> str:
        """A fresh checkout-form revision: 8 lowercase hex characters."""
        return f"{self._live.rng.getrandbits(32):08x}"

    def random_address(self, *, country_code: str = "PL") -> dict[str, Any]:
        """A delivery-address dict (someone's new address), e.g. for "buyer modified the
        address" in live mode."""
        market = _COUNTRY_MARKET.get(country_code.upper())
        if market is None:
            raise ValueError(f"unsupported country code {country_code!r}")
        return self._other_address(self._live.rng, market)

    # -- purchase times -----------------------------------------------------------------------

    @staticmethod
    def _purchase_times(rng: random.Random, count: int, now_ms: int, days: int) -> list[int]:
        """Sorted purchase instants: an hourly intensity curve sampled ``count`` times."""
        hours = days * 24
        start = now_ms - hours * _HOUR
        weekday_factor = (1.05, 1.0, 1.0, 0.97, 0.9, 0.78, 1.12)
        hour_factor = (0.25, 0.12, 0.07, 0.05, 0.05, 0.08, 0.2, 0.45, 0.7, 0.85, 0.95, 1.0, 1.05,
                       1.0, 0.95, 0.95, 1.0, 1.1, 1.25, 1.4, 1.5, 1.45, 1.1, 0.6)
        cum: list[float] = []
        total = 0.0
        for h in range(hours):
            t = start + h * _HOUR + _HOUR // 2
            local = t + _warsaw_offset(t)
            day_no = local // _DAY
            weekday = (day_no + 3) % 7
            w = (0.6 + 0.8 * h / hours) * weekday_factor[weekday] \
                * hour_factor[(local % _DAY) // _HOUR]
            tm = time.gmtime(local // 1000)
            if tm.tm_mon == 12 and tm.tm_mday <= 20:
                w *= 1.45
            elif tm.tm_mon == 11 and tm.tm_mday >= 20:
                w *= 1.6  # Black Week
            elif tm.tm_mon == 12 and 24 <= tm.tm_mday <= 26:
                w *= 0.45
            elif tm.tm_mon == 1:
                w *= 0.85
            total += w
            cum.append(total)
        picks = rng.choices(range(hours), cum_weights=cum, k=count)
        times = [start + h * _HOUR + rng.randrange(_HOUR) for h in picks]
        times.sort()
        return times

    # -- business hours ------------------------------------------------------------------------

    @staticmethod
    def _snap(t: int, rng: random.Random, open_h: int, close_h: int, sat_close_h: int) -> int:
        """Move ``t`` into the seller's working hours (Warsaw time) unless they work late."""
        if rng.random() < 0.05:
            return t
        for _ in range(8):
            off = _warsaw_offset(t)
            local = t + off
            day_start = local - local % _DAY
            weekday = (day_start // _DAY + 3) % 7
            hour = (local - day_start) // _HOUR
            close = close_h if weekday < 5 else (sat_close_h if weekday == 5 else 0)
            if open_h <= hour < close:
                return t
            if hour < open_h < close:
                return day_start + open_h * _HOUR + rng.randrange(100 * _MIN) - off
            t = day_start + _DAY + open_h * _HOUR + rng.randrange(100 * _MIN) - off
        return t

    @staticmethod
    def _local_midnight(ms: int, day_shift: int) -> int:
        """UTC instant of Warsaw midnight starting the day ``day_shift`` days after ``ms``'s day."""
        local = ms + _warsaw_offset(ms)
        midnight_local = local - local % _DAY + day_shift * _DAY
        return midnight_local - _warsaw_offset(midnight_local - _HOUR)

    def _business_day(self, ms: int, shift: int) -> int:
        """Warsaw midnight (UTC ms) of the ``shift``-th working day after ``ms`` (0 = same)."""
        day = self._local_midnight(ms, 0)
        while True:
            weekday = ((day + 2 * _HOUR) // _DAY + 3) % 7
            if weekday < 5:
                if shift <= 0:
                    return day
                shift -= 1
            day = self._local_midnight(day + 2 * _HOUR, 1)

    # -- people --------------------------------------------------------------------------------

    def _get_buyer(self, ctx: _Ctx, market: int) -> _Buyer:
        """A returning customer (about one order in four) or a new one."""
        rng = ctx.rng
        pool = ctx.pools[market]
        if pool and rng.random() < 0.26:
            # Early customers come back more often: regulars.
            return pool[int(len(pool) * rng.random() ** 2.2)]
        guest = market == _PL and rng.random() < 0.04
        buyer = self._new_buyer(ctx, market, guest=guest)
        if not guest:
            pool.append(buyer)
        return buyer

    def _new_buyer_id(self, ctx: _Ctx) -> str:
        rng = ctx.rng
        while True:
            buyer_id = str(rng.randrange(10_000_000, 99_999_999) if rng.random() < 0.6
                           else rng.randrange(100_000_000, 199_999_999))
            if buyer_id not in ctx.buyer_ids:
                ctx.buyer_ids.add(buyer_id)
                return buyer_id

    def _new_buyer(self, ctx: _Ctx, market: int, *, guest: bool) -> _Buyer:
        rng = ctx.rng
        buyer_id = self._new_buyer_id(ctx)
        female = rng.random() < 0.55
        first, last = self._person_name(rng, market, female)
        if market == _PL:
            city, prefixes, city_code = _PL_CITY_INFO[_pick(_PL_CITY_CUM, rng)]
            post_code = f"{rng.choice(prefixes)}-{rng.randrange(1000):03d}"
            street = self._pl_street(rng)
            digits = rng.choice(_PL_MOBILE_PREFIXES) + f"{rng.randrange(1_000_000):06d}"
            phone = self._pl_phone_display(rng, digits)
        else:
            loc = _LOCALES[market]
            assert loc is not None
            city, codes = rng.choice(loc.cities)
            post_code = rng.choice(codes)
            street = self._foreign_street(rng, loc)
            city_code = _fold(city).upper()[:3]
            start = rng.choice(loc.phone_starts)
            digits = start + "".join(str(rng.randrange(10)) for _ in range(9 - len(start)))
            phone = (f"{loc.phone_prefix} {digits[:2]} {digits[2:5]} {digits[5:]}" if market == _HU
                     else f"{loc.phone_prefix} {digits[:3]} {digits[3:6]} {digits[6:]}")
        company = None
        if market == _PL and not guest and rng.random() < 0.15:
            company = self._company(rng, first, last, city)
        # Guest purchases show up with a generated "Client:<id>" login.
        login = f"Client:{buyer_id}" if guest else self._login(ctx, first, last, company)
        email = self._email(rng, first, last, login=login, market=market, company=company)
        return _Buyer(buyer_id, login, email, first, last, phone, digits, street, city,
                      post_code, city_code, market, guest, company)

    @staticmethod
    def _person_name(rng: random.Random, market: int, female: bool) -> tuple[str, str]:
        if market == _PL:
            names = _PL_FEMALE_NAMES if female else _PL_MALE_NAMES
            common = len(_PL_FEMALE_COMMON if female else _PL_MALE_COMMON)
            first = names[rng.randrange(common)] if rng.random() < 0.7 \
                else names[rng.randrange(len(names))]
            if rng.random() < 0.6:
                pair = _PL_SURNAMES[int(_PL_COMMON_SURNAMES * rng.random() ** 1.6)]
            else:
                pair = _PL_SURNAMES[rng.randrange(_PL_COMMON_SURNAMES, len(_PL_SURNAMES))]
            return first, pair[1] if female else pair[0]
        loc = _LOCALES[market]
        assert loc is not None
        first = rng.choice(loc.female if female else loc.male)
        pair = rng.choice(loc.surnames)
        return first, pair[1] if female else pair[0]

    @staticmethod
    def _pl_street(rng: random.Random) -> str:
        name = _PL_STREETS[rng.randrange(len(_PL_STREETS))]
        number = str(int(1 + 140 * rng.random() ** 1.7))
        if rng.random() < 0.08:
            number += rng.choice("ABC")
        if rng.random() < 0.42:
            number += f"/{rng.randrange(1, 80)}"
        prefix = "ul. " if rng.random() < 0.07 else ""
        return f"{prefix}{name} {number}"

    @staticmethod
    def _foreign_street(rng: random.Random, loc: _Locale) -> str:
        name = rng.choice(loc.streets)
        if loc is _CZ_LOCALE and rng.random() < 0.5:
            return f"{name} {rng.randrange(100, 2999)}/{rng.randrange(1, 60)}"
        return f"{name} {rng.randrange(1, 120)}"

    @staticmethod
    def _pl_phone_display(rng: random.Random, digits: str) -> str:
        r = rng.random()
        spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        if r < 0.4:
            return digits
        if r < 0.65:
            return spaced
        if r < 0.9:
            return f"+48 {spaced}"
        return f"+48{digits}"

    def _login(self, ctx: _Ctx, first: str, last: str, company: _Company | None) -> str:
        rng = ctx.rng
        f_ascii, l_ascii = _fold(first), _fold(last)
        dim = _DIMINUTIVES.get(first, f_ascii.lower())
        year = f"{rng.randrange(60, 100) if rng.random() < 0.7 else rng.randrange(0, 8):02d}"
        r = rng.random()
        if company is not None and r < 0.5:
            base = rng.choice((f"firma_{l_ascii.lower()}", f"{l_ascii}-Serwis",
                               f"{_fold(company.name.split()[0])}_{l_ascii.lower()}"))
        elif r < 0.22:
            base = f"{dim}_{l_ascii.lower()}{year}"
        elif r < 0.38:
            base = f"{f_ascii}.{l_ascii[0]}"
        elif r < 0.52:
            base = f"{f_ascii.lower()}{l_ascii.lower()}"
        elif r < 0.64:
            base = f"{f_ascii}{l_ascii}{rng.randrange(1, 99)}"
        elif r < 0.74:
            base = f"{rng.choice(_NICK_ADJ)}_{rng.choice(_NICK_WORDS)}{rng.randrange(1, 999)}"
        elif r < 0.84:
            base = f"{dim}{year}"
        elif r < 0.92:
            base = f"{l_ascii.lower()}_{f_ascii.lower()}"
        else:
            base = f"{dim}.{l_ascii.lower()}"
        login = base
        while login in ctx.logins:
            login = f"{base}{rng.randrange(2, 999)}"
        ctx.logins.add(login)
        return login

    @staticmethod
    def _email(rng: random.Random, first: str, last: str, *, login: str, market: int,
               company: _Company | None) -> str:
        f_ascii, l_ascii = _fold(first).lower(), _fold(last).lower()
        if company is not None and rng.random() < 0.6:
            box = rng.choice(("biuro", "kontakt", "zamowienia", "sklep", f_ascii))
            return f"{box}@{company.domain}"
        if rng.random() < 0.15:
            masked = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                             for _ in range(10))
            return f"{masked}+{rng.getrandbits(32):08x}@allegromail.pl"
        if market == _PL:
            domains = _PL_MAIL_DOMAINS
            domain = domains[_pick(tuple(accumulate(w for _, w in domains)), rng)][0]
        else:
            loc = _LOCALES[market]
            assert loc is not None
            domain = rng.choice(loc.mail_domains)
        r = rng.random()
        if r < 0.3:
            local = f"{f_ascii}.{l_ascii}"
        elif r < 0.5:
            local = f"{f_ascii}{l_ascii}{rng.randrange(1, 99)}"
        elif r < 0.65:
            local = f"{f_ascii[0]}{l_ascii}"
        elif r < 0.8:
            local = _fold(login).lower().replace(":", "")
        else:
            local = f"{f_ascii}_{l_ascii}{rng.randrange(60, 100)}"
        return f"{local}@{domain}"

    @staticmethod
    def _nip(rng: random.Random) -> str:
        """A Polish NIP with a valid checksum (weights 6,5,7,2,3,4,5,6,7; mod 11 != 10)."""
        weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
        while True:
            digits = rng.choice(_PL_TAX_OFFICES) + f"{rng.randrange(1_000_000):06d}"
            check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
            if check != 10:
                return f"{digits}{check}"

    def _company(self, rng: random.Random, first: str, last: str, city: str) -> _Company:
        partner = _PL_SURNAMES[rng.randrange(_PL_COMMON_SURNAMES)][0]
        stem = rng.choice(_COMPANY_STEMS) + rng.choice(_COMPANY_TAILS)
        surname_slug = _fold(last).lower()
        stem_slug = stem.lower()
        r = rng.random()
        if r < 0.2:
            name, domain = f"{last} Sp. z o.o.", f"{surname_slug}.com.pl"
        elif r < 0.38:
            name, domain = f"PHU {last} {first}", f"phu-{surname_slug}.pl"
        elif r < 0.55:
            name, domain = f"{stem} Sp. z o.o.", f"{stem_slug}.pl"
        elif r < 0.67:
            name, domain = f"{stem} s.c. {first} {last}, {partner}", f"{stem_slug}.pl"
        elif r < 0.77:
            name, domain = f"F.H.U. {stem} {first} {last}", f"{stem_slug}.com.pl"
        elif r < 0.9:
            trade = rng.choice(_COMPANY_TRADES)
            name = f"{trade} {first} {last}"
            domain = f"{_fold(trade.split()[-1]).lower()}-{surname_slug}.pl"
        else:
            name = f"{stem} {city} Sp. z o.o. sp. k."
            domain = f"{stem_slug}-{_fold(city).lower()}.pl"
        status = "ACTIVE" if rng.random() < 0.9 else "NON_ACTIVE"
        return _Company(name, self._nip(rng), status, domain)

    def _other_address(self, rng: random.Random, market: int) -> dict[str, Any]:
        """Somebody's full delivery address in the marketplace's country."""
        female = rng.random() < 0.55
        first, last = self._person_name(rng, market, female)
        if market == _PL:
            city, prefixes, _code = _PL_CITY_INFO[_pick(_PL_CITY_CUM, rng)]
            zip_code = f"{rng.choice(prefixes)}-{rng.randrange(1000):03d}"
            street = self._pl_street(rng)
            phone = rng.choice(_PL_MOBILE_PREFIXES) + f"{rng.randrange(1_000_000):06d}"
            country = "PL"
        else:
            loc = _LOCALES[market]
            assert loc is not None
            city, codes = rng.choice(loc.cities)
            zip_code = rng.choice(codes)
            street = self._foreign_street(rng, loc)
            start = rng.choice(loc.phone_starts)
            phone = loc.phone_prefix + start + "".join(
                str(rng.randrange(10)) for _ in range(9 - len(start)))
            country = _MARKETS[market].country
        return {
            "firstName": first,
            "lastName": last,
            "street": street,
            "city": city,
            "zipCode": zip_code,
            "countryCode": country,
            "companyName": None,
            "phoneNumber": phone,
            "modifiedAt": None,
        }

    # -- one order -----------------------------------------------------------------------------

    def _make_order(self, ctx: _Ctx, t0: int, now: int, force: _Force | None) -> GeneratedOrder:  # noqa: C901 - one draw per property of an order
        """Build one order bought at ``t0``: draw its story, cut it at ``now``, render the form."""
        rng = ctx.rng
        target = force.target if force else None
        market = force.market if force and force.market is not None else _pick(_MARKET_CUM, rng)
        if target in ("RFP:READY_FOR_PICKUP", "RFP:PICKED_UP"):
            market = _PL  # personal pickup exists only for Polish buyers
        mk = _MARKETS[market]
        buyer = self._get_buyer(ctx, market)

        # Basket.
        n_lines = 1
        r = rng.random()
        if r > 0.80:
            n_lines = 2 if r < 0.94 else (3 if r < 0.985 else 4)
        offers: list[_Offer] = []
        while len(offers) < n_lines:
            offer = self._offers[_pick(self._offer_cum, rng)]
            if offer not in offers:
                offers.append(offer)
        lines: list[tuple[_Offer, int, int, int]] = []  # offer, qty, original, price
        items_total = 0
        for offer in offers:
            original = offer.prices[market]
            q = rng.random()
            qty = 1 if q < 0.85 else (2 if q < 0.94 else (3 if q < 0.97 else rng.randrange(4, 6)))
            price = original
            if rng.random() < 0.1:
                price = self._discounted(original, market, rng)
            lines.append((offer, qty, original, price))
            items_total += price * qty

        # Fate and delivery.
        if target is None:
            f = rng.random()
            fate = (_FATE_NEVER_PAID if f < 0.025 else _FATE_CANCEL_UNPAID if f < 0.034
                    else _FATE_CANCEL_PAID if f < 0.045 else _FATE_PAID)
        elif target in ("BOUGHT", "FILLED_IN", "CANCELLED:AUTO"):
            fate = _FATE_NEVER_PAID
        elif target == "CANCELLED:BUYER":
            fate = _FATE_CANCEL_PAID if rng.random() < 0.5 else _FATE_CANCEL_UNPAID
        else:
            fate = _FATE_PAID
        unpaid_fate = fate in (_FATE_NEVER_PAID, _FATE_CANCEL_UNPAID)
        methods = _METHODS[market]
        forced_path = _FORCED_PATHS.get(target[4:]) if target and target.startswith("RFP:") \
            else None
        want_pickup = forced_path is not None and target in ("RFP:READY_FOR_PICKUP",
                                                             "RFP:PICKED_UP")
        while True:
            method = methods[_pick(_METHOD_CUMS[market], rng)]
            if want_pickup and market == _PL:
                method = methods[-1]
            if unpaid_fate and method.cod:
                continue
            if forced_path is not None and not want_pickup and method.kind == _PICKUP:
                continue
            break
        smart = (method.smart and items_total >= mk.smart_min and rng.random() < mk.smart_share)
        delivery_cost = 0 if smart or method.kind == _PICKUP else method.cost
        total = items_total + delivery_cost

        # Payment kind.
        pay_on_pickup = method.kind == _PICKUP and not unpaid_fate and rng.random() < 0.45
        if method.cod or pay_on_pickup:
            pay_type, provider = "CASH_ON_DELIVERY", "OFFLINE"
        else:
            p = rng.random()
            if buyer.company is not None and p < 0.05 and not unpaid_fate:
                pay_type, provider = "EXTENDED_TERM", "EPT"
            elif p < 0.06:
                pay_type, provider = "WIRE_TRANSFER", "PAYU" if rng.random() < 0.6 else "P24"
            else:
                pay_type = "ONLINE"
                q = rng.random()
                provider = "PAYU" if q < 0.42 else ("P24" if q < 0.6 else "AF")
        allegro_pay = pay_type == "ONLINE" and rng.random() < 0.12

        # Story.
        events = self._story(rng, t0, fate=fate, method=method, pay_type=pay_type,
                             target=target, forced_path=forced_path,
                             force_modify=force.modify if force else False)
        if force is not None:
            events = self._fit(events, t0, now)
        else:
            events = [e for e in events if e[0] <= now]

        return self._render(ctx, t0, events, buyer=buyer, market=market, lines=lines,
                            method=method, smart=smart, delivery_cost=delivery_cost, total=total,
                            pay_type=pay_type, provider=provider, allegro_pay=allegro_pay)

    @staticmethod
    def _discounted(original: int, market: int, rng: random.Random) -> int:
        """A promotional price below ``original``, rounded the way the marketplace prices are."""
        raw = original * rng.randrange(78, 96) // 100
        if market == _HU:
            price = max(raw // 10_000 * 10_000 - 1_000, 1_000)  # whole forints ending in 90
        elif market == _CZ:
            price = max(raw // 1000 * 1000 - 100, 100)
        else:
            price = max(raw // 100 * 100 + 99 - (100 if raw % 100 < 99 else 0), 9)
        return price if 0 < price < original else original

    def _story(self, rng: random.Random, t0: int, *, fate: int, method: _Method, pay_type: str,  # noqa: C901 - one branch per fate of an order
               target: str | None, forced_path: tuple[str, ...] | None,
               force_modify: bool) -> list[_Ev]:
        """The order's whole timeline as it would unfold, before cutting at ``now``."""
        ev: list[_Ev] = [(t0, "BOUGHT", None, None)]
        fill = t0 + (rng.randrange(30, 5 * _SEC) if rng.random() < 0.6
                     else rng.randrange(5 * _SEC, 10 * _MIN))
        if fate == _FATE_NEVER_PAID:
            if target == "BOUGHT":
                return ev
            if target in ("FILLED_IN", "CANCELLED:AUTO") or rng.random() < 0.65:
                ev.append((fill, "FILLED_IN", None, None))
                if rng.random() < 0.15:
                    ev.append((fill + rng.randrange(_MIN, 30 * _MIN), "FILLED_IN", None, None))
            if target != "FILLED_IN":
                ev.append((t0 + _AUTO_CANCEL_MS + rng.randrange(2 * _HOUR), "AUTO_CANCELLED",
                           None, None))
            return ev
        ev.append((fill, "FILLED_IN", None, None))
        if fate == _FATE_CANCEL_UNPAID:
            ev.append((fill + rng.randrange(2 * _MIN, 20 * _HOUR), "BUYER_CANCELLED", None, None))
            return ev
        # Payment.
        if pay_type == "CASH_ON_DELIVERY":
            rfp = fill + rng.randrange(200, 3 * _SEC)
        elif pay_type == "WIRE_TRANSFER":
            rfp = self._snap(fill + rng.randrange(2 * _HOUR, 60 * _HOUR), rng, 8, 18, 0)
        elif pay_type == "EXTENDED_TERM":
            rfp = fill + rng.randrange(_SEC, 10 * _SEC)
        else:
            p = rng.random()
            if p < 0.03 and target is None:  # a cancelled payment: the form is filled in again
                refill = fill + rng.randrange(_MIN, 20 * _MIN)
                ev.append((refill, "FILLED_IN", None, None))
                fill = refill
            if p < 0.8:
                rfp = fill + rng.randrange(3 * _SEC, 90 * _SEC)
            elif p < 0.95:
                rfp = fill + rng.randrange(90 * _SEC, 30 * _MIN)
            else:
                rfp = fill + rng.randrange(30 * _MIN, 48 * _HOUR)
        ev.append((rfp, "READY_FOR_PROCESSING", None, None))
        if pay_type == "EXTENDED_TERM" and target is None:
            # Allegro Pay Business transfers the money later: a second READY_FOR_PROCESSING.
            ev.append((self._snap(rfp + rng.randrange(_DAY, 4 * _DAY), rng, 8, 18, 0),
                       "READY_FOR_PROCESSING", None, _RFP_FUNDS))
        if fate == _FATE_CANCEL_PAID:
            ev.append((rfp + rng.randrange(10 * _MIN, 20 * _HOUR), "BUYER_CANCELLED", None, None))
            return ev

        # Fulfillment by the seller.
        pickup = method.kind == _PICKUP
        if forced_path is not None:
            path = forced_path
        elif pickup:
            path = _PICKUP_PATHS[_pick(_PICKUP_CUM, rng)][0]
        else:
            path = _SHIP_PATHS[_pick(_SHIP_CUM, rng)][0]
        t = rfp
        first_move: int | None = None
        for status in path:
            if status == "PROCESSING":
                t = self._snap(t + rng.randrange(20 * _MIN, 9 * _HOUR), rng, 8, 17, 13)
            elif status in ("READY_FOR_SHIPMENT", "READY_FOR_PICKUP"):
                t = self._snap(t + rng.randrange(15 * _MIN, 5 * _HOUR), rng, 8, 17, 13)
            elif status == "SENT":
                t = self._snap(t + rng.randrange(30 * _MIN, 8 * _HOUR), rng, 12, 18, 13)
            elif status == "PICKED_UP":
                t = self._snap(t + rng.randrange(2 * _HOUR, 5 * _DAY), rng, 9, 18, 14)
            elif status == "RETURNED":
                t = self._snap(t + rng.randrange(6 * _DAY, 25 * _DAY), rng, 8, 17, 0)
            elif status == "SUSPENDED":
                t = self._snap(t + rng.randrange(_HOUR, 30 * _HOUR), rng, 8, 17, 13)
            elif status == "CANCELLED":
                t = self._snap(t + rng.randrange(_HOUR, 2 * _DAY), rng, 8, 17, 13)
            if status == "PROCESSING" and ev[-1][2] == "SUSPENDED":
                t += rng.randrange(_DAY, 5 * _DAY)
            if first_move is None:
                first_move = t
            ev.append((t, "FULFILLMENT_STATUS_CHANGED", status, None))

        # Buyer-side extras before the parcel leaves: a surcharge, a changed address.
        window_end = first_move if first_move is not None else rfp + 2 * _DAY
        window = max(window_end - rfp, 2 * _SEC)
        if (target is None and pay_type == "ONLINE" and not pickup and rng.random() < 0.015):
            ev.append((rfp + min(rng.randrange(30 * _MIN, _DAY), window * 2 // 3),
                       "READY_FOR_PROCESSING", None, _RFP_SURCHARGE))
        if force_modify or (target is None and not pickup and rng.random() < 0.03):
            ev.append((rfp + min(rng.randrange(5 * _MIN, 12 * _HOUR), window // 2),
                       "BUYER_MODIFIED", None, None))
        ev.sort(key=lambda e: e[0])
        return ev

    @staticmethod
    def _fit(events: list[_Ev], t0: int, now: int) -> list[_Ev]:
        """Squeeze a forced story into ``[t0, now]`` (keeping order and AUTO_CANCELLED's 7 days)."""
        # AUTO_CANCELLED cannot be squeezed below its 7 days: if it does not fit, it has not
        # happened yet.
        events = [e for e in events if e[1] != "AUTO_CANCELLED" or e[0] <= now]
        last = events[-1][0]
        if last <= now:
            return events
        span = max(now - t0 - 1, 1)
        scale = span / (last - t0)
        fitted = []
        for at, kind, status, tag in events:
            new_at = at if kind == "AUTO_CANCELLED" else t0 + int((at - t0) * scale)
            fitted.append((new_at, kind, status, tag))
        return fitted

    def _render(self, ctx: _Ctx, t0: int, story: list[_Ev], *, buyer: _Buyer, market: int,  # noqa: C901 - one field after another of a form
                lines: list[tuple[_Offer, int, int, int]], method: _Method, smart: bool,
                delivery_cost: int, total: int, pay_type: str, provider: str,
                allegro_pay: bool) -> GeneratedOrder:
        """Turn the (cut) story into the current checkout form plus its event list."""
        rng = ctx.rng
        mk = _MARKETS[market]
        cur = mk.currency

        # Replay the story: revisions, statuses, key times.
        events: list[GeneratedEvent] = []
        status = "BOUGHT"
        fulfillment = "NEW"
        paid_at: int | None = None
        surcharge_at: int | None = None
        modified_at: int | None = None
        filled = False
        revision = ""
        updated = t0
        prev = t0 - 1
        for at, kind, new_status, tag in story:
            ms = at if kind == "BOUGHT" else max(at, prev + 1)  # strictly increasing times
            prev = ms
            if kind != "FULFILLMENT_STATUS_CHANGED":
                revision = f"{rng.getrandbits(32):08x}"
                updated = ms
            if kind == "FILLED_IN":
                status, filled = "FILLED_IN", True
            elif kind == "READY_FOR_PROCESSING":
                status = "READY_FOR_PROCESSING"
                if tag == _RFP_SURCHARGE:
                    surcharge_at = ms
                elif paid_at is None:
                    paid_at = ms
            elif kind == "FULFILLMENT_STATUS_CHANGED":
                fulfillment = new_status or fulfillment
            elif kind in ("BUYER_CANCELLED", "AUTO_CANCELLED"):
                status, fulfillment = "CANCELLED", "CANCELLED"
            elif kind == "BUYER_MODIFIED":
                modified_at = ms
            events.append(GeneratedEvent(kind, _dt(ms), revision))

        # Payment.
        paid = paid_at is not None and pay_type != "CASH_ON_DELIVERY"
        paid_money = _money(total, cur) if paid else None
        payment = {
            "id": _time_uuid_ms(t0 + rng.randrange(50, 900), rng),
            "type": pay_type,
            "provider": provider if filled else None,
            "finishedAt": _iso_ms(paid_at) if paid and paid_at is not None else None,
            "paidAmount": paid_money,
            "reconciliation": (_money(total, cur) if paid and provider != "AF" else None),
            "features": ["ALLEGRO_PAY"] if allegro_pay and paid else [],
        }
        surcharges: list[dict[str, Any]] = []
        if surcharge_at is not None:
            amount = rng.choice((500, 999, 1000, 1500, 1999, 2500)) if market == _PL \
                else _convert(rng.choice((999, 1500)), market)
            surcharges.append({
                "id": _time_uuid_ms(surcharge_at - rng.randrange(20 * _SEC, 10 * _MIN), rng),
                "type": "ONLINE",
                "provider": provider,
                "finishedAt": _iso_ms(surcharge_at),
                "paidAmount": _money(amount, cur),
                "reconciliation": _money(amount, cur) if provider != "AF" else None,
                "features": [],
            })

        # Fulfillment.
        if fulfillment in ("SENT", "PICKED_UP", "RETURNED"):
            sent = "ALL"
        elif fulfillment == "READY_FOR_SHIPMENT":
            s = rng.random()
            sent = "NONE" if s < 0.55 else ("SOME" if len(lines) > 1 and s < 0.65 else "ALL")
        elif fulfillment == "PROCESSING" and len(lines) > 1 and rng.random() < 0.1:
            sent = "SOME"
        else:
            sent = "NONE"
        fulfillment_provider = "ALLEGRO" if (method.kind in (_COURIER, _LOCKER)
                                             and not method.cod and rng.random() < 0.02) \
            else "SELLER"

        # Addresses.
        is_pl = market == _PL
        if rng.random() < 0.86:
            address: dict[str, Any] = {
                "firstName": buyer.first,
                "lastName": buyer.last,
                "street": buyer.street,
                "city": buyer.city,
                "zipCode": buyer.post_code,
                "countryCode": mk.country,
                "companyName": (buyer.company.name if buyer.company is not None
                                and rng.random() < 0.7 else None),
                "phoneNumber": (f"+48{buyer.phone_digits}" if is_pl and rng.random() < 0.5
                                else buyer.phone_digits if is_pl else buyer.phone),
                "modifiedAt": None,
            }
        else:
            address = self._other_address(rng, market)
        if modified_at is not None:
            address = self._other_address(rng, market) if rng.random() < 0.4 else dict(
                address, street=(self._pl_street(rng) if is_pl else address["street"]))
            address["firstName"], address["lastName"] = buyer.first, buyer.last
            address["modifiedAt"] = _iso_ms(modified_at)

        # Delivery.
        pickup_point = self._pickup_point(rng, method, buyer, market)
        local = t0 + _warsaw_offset(t0)
        time_key = (local // _DAY, local % _DAY >= 13 * _HOUR, method.transit_days)
        times = ctx.delivery_times.get(time_key)
        if times is None:
            times = self._delivery_times(t0, time_key[1], method.transit_days)
            ctx.delivery_times[time_key] = times
        delivery = {
            "address": address,
            "method": {"id": method.id, "name": method.name},
            "pickupPoint": pickup_point,
            "cost": _money(delivery_cost, cur),
            "smart": smart,
            "time": {
                "from": times[2],
                "to": times[3],
                "guaranteed": None,
                "dispatch": {"from": times[0], "to": times[1]},
            },
            "calculatedNumberOfPackages": 1,
            "cancellation": None,
        }

        # Invoice.
        company = buyer.company
        if company is not None:
            invoice: dict[str, Any] = {
                "required": True,
                "address": {
                    "street": buyer.street,
                    "city": buyer.city,
                    "zipCode": buyer.post_code,
                    "countryCode": "PL",
                    "company": {
                        "name": company.name,
                        "ids": [{"type": "PL_NIP", "value": company.nip}],
                        "vatPayerStatus": company.vat_status,
                        "taxId": company.nip,
                    },
                    "naturalPerson": None,
                },
                "dueDate": (time.strftime("%Y-%m-%d", time.gmtime((t0 + 30 * _DAY) // 1000))
                            if pay_type == "EXTENDED_TERM" else None),
                "features": None,
            }
        elif is_pl and rng.random() < 0.05:
            invoice = {
                "required": True,
                "address": {
                    "street": buyer.street,
                    "city": buyer.city,
                    "zipCode": buyer.post_code,
                    "countryCode": "PL",
                    "company": None,
                    "naturalPerson": {"firstName": buyer.first, "lastName": buyer.last},
                },
                "dueDate": None,
                "features": None,
            }
        else:
            invoice = {"required": False, "address": None, "dueDate": None, "features": None}

        # Line items.
        bought_iso = _iso_ms(t0)
        tax_roll = rng.random()
        line_items = []
        for offer, qty, original, price in lines:
            if tax_roll < 0.85:
                tax: dict[str, Any] | None = {"rate": mk.tax_rate, "subject": "GOODS",
                                              "exemption": None}
            elif tax_roll < 0.95:
                tax = {"rate": mk.tax_rate, "subject": None, "exemption": None}
            else:
                tax = None
            discounts = None
            if price < original:
                discounts = [{"type": "UNIT_PERCENTAGE_DISCOUNT" if qty > 1
                              else rng.choice(("CAMPAIGN", "COUPON"))}]
            line_items.append({
                "id": _uuid4(rng),
                "offer": {
                    "id": offer.id,
                    "name": offer.name,
                    "external": {"id": offer.sku} if offer.sku else None,
                    "productSet": None,
                    "hsNumber": None,
                },
                "quantity": qty,
                "originalPrice": _money(original, cur),
                "price": _money(price, cur),
                "reconciliation": None,
                "selectedAdditionalServices": [],
                "vouchers": [],
                "tax": tax,
                "boughtAt": bought_iso,
                "discounts": discounts,
                "deposit": None,
                "serialNumbers": {"expected": False, "entries": []},
            })

        # Buyer, message, note.
        buyer_dict = {
            "id": buyer.id,
            "email": buyer.email,
            "login": buyer.login,
            "firstName": buyer.first,
            "lastName": buyer.last,
            "companyName": company.name if company is not None else None,
            "guest": buyer.guest,
            "personalIdentity": None,
            "phoneNumber": buyer.phone,
            "preferences": {"language": mk.language},
            "address": {
                "street": buyer.street,
                "city": buyer.city,
                "postCode": buyer.post_code,
                "countryCode": mk.country,
            },
        }
        message = rng.choice(_MESSAGES) if is_pl and filled and rng.random() < 0.08 else None
        note: dict[str, Any] | None = None
        if fulfillment == "SUSPENDED":
            note = {"text": _NOTE_SUSPENDED}
        elif fulfillment == "RETURNED" and rng.random() < 0.6:
            note = {"text": _NOTE_RETURNED}
        elif status == "READY_FOR_PROCESSING" and rng.random() < 0.03:
            note = {"text": rng.choice(_NOTES)}

        form = {
            "id": _time_uuid_ms(t0, rng),
            "messageToSeller": message,
            "buyer": buyer_dict,
            "payment": payment,
            "status": status,
            "fulfillment": {
                "status": fulfillment,
                "shipmentSummary": {"lineItemsSent": sent},
                "provider": {"id": fulfillment_provider},
            },
            "delivery": delivery,
            "invoice": invoice,
            "lineItems": line_items,
            "surcharges": surcharges,
            "note": note,
            "marketplace": {"id": mk.id},
            "summary": {"totalToPay": _money(total, cur)},
            "updatedAt": _iso_ms(updated),
            "revision": revision,
        }
        return GeneratedOrder(form, events)

    def _delivery_times(self, t0: int, afternoon: bool, transit: int
                        ) -> tuple[str, str, str, str]:
        """Dispatch and delivery windows (whole Warsaw days, as Allegro sends them): dispatch
        the same working day when bought before 13:00, else the next; delivery ``transit``
        working days later."""
        dispatch_day = self._business_day(t0, 1 if afternoon else 0)
        deliver_day = self._business_day(dispatch_day + 2 * _HOUR, transit)
        return (
            _instant(dispatch_day),
            _instant(self._local_midnight(dispatch_day + 2 * _HOUR, 1) - 1),
            _instant(deliver_day),
            _instant(self._local_midnight(deliver_day + 2 * _HOUR, 1) - 1),
        )

    def _pickup_point(self, rng: random.Random, method: _Method, buyer: _Buyer,
                      market: int) -> dict[str, Any] | None:
        """The pickup point the buyer chose near home, for locker / point methods."""
        kind = method.kind
        if kind in (_COURIER, _PICKUP):
            return None
        code = buyer.city_code
        if kind == _LOCKER:
            point_id = f"{code}{rng.randrange(1, 400):02d}{rng.choice('MMMMAPN')}"
            name, description = f"Paczkomat {point_id}", rng.choice(_LOCKER_SPOTS)
        elif kind == _POINT_ONEBOX:
            point_id = f"AL{code}{rng.randrange(1, 999):03d}"
            name, description = f"Allegro One Box {point_id}", rng.choice(_LOCKER_SPOTS)
        elif kind == _POINT_ORLEN:
            point_id = str(rng.randrange(100_000, 999_999))
            spot = rng.choice(_ORLEN_SPOTS)
            name, description = f"ORLEN Paczka {point_id}", spot
        else:
            loc = _LOCALES[market]
            assert loc is not None
            point_id = str(rng.randrange(1_000, 40_000))
            name, description = f"Z-BOX {buyer.city} {point_id}", loc.point_description
        if market == _PL:
            street = self._pl_street(rng).split("/")[0].removeprefix("ul. ")
            zip_code = buyer.post_code[:3] + f"{rng.randrange(1000):03d}"
        else:
            loc = _LOCALES[market]
            assert loc is not None
            street = self._foreign_street(rng, loc)
            zip_code = buyer.post_code
        return {
            "id": point_id,
            "name": name,
            "description": description,
            "address": {
                "street": street,
                "zipCode": zip_code,
                "city": buyer.city,
                "countryCode": _MARKETS[market].country,
            },
        }

    # -- coverage --------------------------------------------------------------------------

    def _ensure_coverage(self, ctx: _Ctx, orders: list[GeneratedOrder], times: list[int],  # noqa: C901 - one pass per state to cover
                         now: int) -> None:
        """Regenerate a few ordinary orders so every state and marketplace shows up.

        Only orders whose state is common (at least two of its kind) are replaced, so no state
        disappears; recent states take the newest orders, old ones take orders old enough for the
        story to have happened naturally.
        """
        rng = ctx.rng
        keys = [_state_key(o.form, o.events) for o in orders]
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        used: set[int] = set()
        n = len(orders)

        def eligible(i: int) -> bool:
            o = orders[i]
            return (i not in used and counts[keys[i]] >= 2
                    and o.form["marketplace"]["id"] == "allegro-pl"
                    and not any(e.type == "BUYER_MODIFIED" for e in o.events))

        def victim(min_age: int, max_age: int | None, newest: bool) -> int | None:
            indices: Sequence[int] = range(n - 1, -1, -1) if newest else \
                rng.sample(range(n), n)
            for i in indices:
                age = now - times[i]
                if age >= min_age and (max_age is None or age <= max_age) and eligible(i):
                    return i
            return None

        def replace(i: int, force: _Force, t0: int | None = None) -> None:
            if t0 is not None:
                times[i] = t0
            old = keys[i]
            orders[i] = self._make_order(ctx, times[i], now, force)
            keys[i] = _state_key(orders[i].form, orders[i].events)
            counts[old] -= 1
            counts[keys[i]] = counts.get(keys[i], 0) + 1
            used.add(i)

        for key in _COVERAGE_KEYS:
            if counts.get(key):
                continue
            if key in _RECENT_TARGETS:
                max_age = 6 * _DAY if key in ("BOUGHT", "FILLED_IN") else 10 * _DAY
                i = victim(10 * _MIN, max_age, newest=True)
                new_t0 = None
                if i is None:
                    i = victim(0, None, newest=True)
                    new_t0 = now - rng.randrange(20 * _MIN, 3 * _DAY)
            elif key == "CANCELLED:AUTO":
                i = victim(8 * _DAY, None, newest=False)
                new_t0 = None
            else:
                i = victim(40 * _DAY, None, newest=False)
                if i is None:
                    i = victim(0, None, newest=False)
                new_t0 = None
            if i is not None:
                replace(i, _Force(target=key, market=_PL), new_t0)
        present = {o.form["marketplace"]["id"] for o in orders}
        for market, mk in enumerate(_MARKETS):
            if mk.id not in present:
                i = victim(2 * _DAY, None, newest=False)
                if i is not None:
                    replace(i, _Force(target=keys[i], market=market))
        if not any(e.type == "BUYER_MODIFIED" for o in orders for e in o.events):
            i = victim(20 * _DAY, None, newest=False)
            if i is not None:
                replace(i, _Force(target="RFP:SENT", modify=True))

