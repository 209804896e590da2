from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Block


class UnitFilterForm(forms.Form):
    """The filters of the unit list, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        # The hint is printed under the whole filter row (see unit_list.html).
        widget=forms.TextInput(attrs={"aria-describedby": "unit-search-help", "type": "search"}),
    )
    block = forms.ModelChoiceField(
        label=_("Block"), queryset=Block.objects.all(), required=False, empty_label=_("All blocks")
    )
    year = forms.IntegerField(
        label=_("Active in year"), required=False, min_value=1990, max_value=2100
    )
