"""How people are named on pages."""


def person_name(user) -> str:
    """Vietnamese order: family and middle names (last_name) before the given name.

    Django's get_full_name() puts first_name first, which reads "An Nguyễn Văn".
    """
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def name_parts(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name) of a name written in Vietnamese order.

    "Nguyễn Văn An" → ("Nguyễn Văn", "An"): the given name is the last word, stored as
    Django's first_name, so that person_name() writes the name back as it was given.
    """
    words = full_name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]
