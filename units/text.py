"""Text normalisation for searching Vietnamese names."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so "Ủy ban" and "uy ban" match on any database.

    SQLite's LIKE does not fold Vietnamese case, so searches go through a column
    holding this folded form instead of icontains on the name.
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
