"""A form field for numbers typed the Vietnamese way: "2,5" as well as "2.5".

Not <input type="number">: a browser localises it by its own locale, not the page's,
so a vi-VN Chromium turns a typed "2,5" into 25 and one in English refuses the comma.
A text input with inputmode="decimal" brings up the number keypad on phones and
keeps what was typed; the server reads it with units.numbers.to_decimal and
shows stored values back with the page language's decimal separator.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from units.numbers import localized, to_decimal

# Digits, then a dot or a comma and decimals; the browser checks it before sending.
PATTERN = r"\s*[0-9]+([.,][0-9]+)?\s*"


class DecimalInput(forms.TextInput):
    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "inputmode": "decimal",
            "pattern": PATTERN,
            "autocomplete": "off",
            "spellcheck": "false",
            "title": _("A number, e.g. 2.5"),
            "class": "form-control",
        }
        super().__init__({**defaults, **(attrs or {})})


class DecimalCommaField(forms.Field):
    """A Decimal from "2,5" or "2.5"; the rules a value must follow are the caller's."""

    widget = DecimalInput
    default_error_messages = {"invalid": _("Enter a number, e.g. 2.5.")}

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        number = to_decimal(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value: object) -> object:
        # A stored value is shown as the page's language writes it (2,5 in Vietnamese);
        # what the user typed (a string) comes back exactly as typed.
        if isinstance(value, Decimal):
            return localized(value)
        return value
