from django import forms


class LockoutReleaseForm(forms.Form):
    """The pair to unlock, as the lockout page lists it (hidden fields of its button)."""

    username = forms.CharField(max_length=255, strip=False)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean_ip_address(self) -> str | None:
        # axes stores an unknown address as NULL, which the form posts back empty.
        return self.cleaned_data["ip_address"] or None
