"""How people are named on pages."""


def person_name(user) -> str:
    """Vietnamese order: family and middle names (last_name) before the given name.

    Django's get_full_name() puts first_name first, which reads "An Nguyễn Văn".
    """
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
