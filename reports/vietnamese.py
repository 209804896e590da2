"""How a Vietnamese sentence writes lists, numbers, places and unit names.

The published texts (the written summary) are Vietnamese whatever the reader's
language, so these rules do not go through gettext."""

from collections.abc import Iterable
from decimal import Decimal

from units.numbers import published_number

# Generic words before a district-level unit's name: a news report drops "huyện"
# ("Long Phú xếp thứ nhất") and keeps the others in lower case ("thị xã Ngã Năm").
_DROPPED_PREFIXES = ("Huyện ",)

_LOWERED_PREFIXES = ("Thị xã ", "Thành phố ", "Quận ", "Xã ", "Phường ", "Thị trấn ")


def join_vi(items: Iterable[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def number(value: Decimal) -> str:
    """Two decimals with a decimal comma, as published: 88,70."""
    return published_number(value)


def signed(value: Decimal) -> str:
    """+14,53 or -2,40."""
    text = number(value)
    return text if text.startswith("-") else "+" + text


def percent(value: Decimal) -> str:
    return number(value) + "%"


def ordinal(rank: int) -> str:
    """ "thứ nhất", "thứ 2", … as the press writes places."""
    return "thứ nhất" if rank == 1 else f"thứ {rank}"


def name_in_sentence(name: str) -> str:
    """A unit's name as written inside a sentence: "Mỹ Xuyên", "thị xã Ngã Năm"."""
    for prefix in _DROPPED_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    for prefix in _LOWERED_PREFIXES:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def block_noun(name: str) -> str:
    """A block's name inside a sentence: "sở, ban, ngành"; an acronym ("UBND …") is kept."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."
