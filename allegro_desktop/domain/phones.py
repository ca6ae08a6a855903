"""A buyer's phone number as the seller reads it, whatever way the buyer typed it
("600100200", "+48600100200", "+48 600 100 200" all read "600 100 200"): Polish numbers in
their national form, others with their country code ("+420 601 234 567"), grouped by
libphonenumber's rules. What is not a valid number is shown as it was typed.

`phone_text` is the one way a phone is shown to the seller (the details panel, packing
slips); exports keep the value as Allegro sent it (it is data for other programs)."""

from __future__ import annotations

from typing import Final

import phonenumbers

__all__ = ["phone_text"]

#: The sellers' country: its numbers need no country code, a bare number is one of its.
_HOME_REGION: Final = "PL"


def phone_text(raw: str) -> str:
    """`raw` (a phone as the buyer typed it) in one readable form (see the module doc)."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, _HOME_REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    home = phonenumbers.region_code_for_number(number) == _HOME_REGION
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
