"""Forms of the accounts pages. The services check again what these check for the page's
sake (a taken username, a role without its unit); the rights are the services' alone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc_portal.accounts.selectors.accounts import (
    ROLE_NONE,
    STATUS_ACTIVE,
    STATUS_INACTIVE,
    STATUS_NOT_ACCEPTED,
    STATUS_NOT_SENT,
)
from cchc_portal.accounts.services.accounts import email_taken, username_taken
from scoring.exchange.accounts_xlsx import USERNAME_PATTERN
from scoring.forms.workbooks import WorkbookUploadForm, workbook_field
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership, Unit

ROLE_CHOICES = [("", "—"), *Membership.Role.choices]


class UnitField(forms.TypedChoiceField):
    """A unit chosen from the province's, grouped by block; cleaned to the Unit."""

    def __init__(self, *, units: list, **kwargs) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.choices = [("", "—"), *units]

    def clean(self, value) -> Unit | None:
        pk = super().clean(value)
        return Unit.objects.filter(pk=pk).first() if pk is not None else None


class _FullNameEmailForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        help_text=_("In Vietnamese order, e.g. Nguyễn Văn An."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation, and later any password reset, goes there."),
    )

    def __init__(self, *args, account=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email_taken(email, other_than=self.account.pk if self.account else None):
            raise forms.ValidationError(_("This address belongs to another account."))
        return email


class AccountCreateForm(_FullNameEmailForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters without accents, digits and . @ + - _; e.g. nguyenvana.snv."),
    )
    role = forms.ChoiceField(label=_("Role in the unit"), choices=ROLE_CHOICES, required=False)
    appraiser = forms.BooleanField(label=_("Member of the appraisal council"), required=False)
    staff = forms.BooleanField(
        label=_("Interior Department staff"),
        required=False,
        help_text=_("Only a superuser grants it."),
    )
    field_order = ["username", "full_name", "email", "unit", "role", "appraiser", "staff"]

    def __init__(self, *args, units: list, may_grant_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(units=units, label=_("Unit"), required=False)
        self.order_fields(self.field_order)
        if not may_grant_staff:
            self.fields["staff"].disabled = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lower()
        if not USERNAME_PATTERN.match(username):
            raise forms.ValidationError(
                _("Use letters without accents, digits and . @ + - _ only.")
            )
        if username_taken(username):
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("unit")) != bool(data.get("role")):
            self.add_error("role", _("Choose both a unit and the role in it, or neither."))
        elif not (data.get("unit") or data.get("appraiser") or data.get("staff")):
            raise forms.ValidationError(
                _("Give the account a role: a unit and its role, or a group.")
            )
        return data


class AccountEditForm(_FullNameEmailForm):
    pass


class UnitRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, units: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(units=units, label=_("Unit"))
        self.order_fields(["unit", "role"])


class GroupsForm(forms.Form):
    appraiser = forms.BooleanField(label=_("Member of the appraisal council"), required=False)
    staff = forms.BooleanField(
        label=_("Interior Department staff"),
        required=False,
        help_text=_("Only a superuser grants or withdraws it."),
    )

    def __init__(self, *args, may_grant_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A disabled field keeps its initial value whatever is posted.
        self.fields["staff"].disabled = not may_grant_staff


class AccountFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Username, name, e-mail address or unit."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[
            ("", _("Any role")),
            *Membership.Role.choices,
            (APPRAISER_GROUP, _("Member of the appraisal council")),
            (STAFF_GROUP, _("Interior Department staff")),
            (ROLE_NONE, _("No role")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (STATUS_ACTIVE, _("Active")),
            (STATUS_INACTIVE, _("Deactivated")),
            (STATUS_NOT_SENT, _("Invitation not sent")),
            (STATUS_NOT_ACCEPTED, _("Invitation not accepted yet")),
        ],
    )


class AccountsUploadForm(WorkbookUploadForm):
    file = workbook_field(
        _(
            "Sheet Tài khoản: Tên đăng nhập, Họ và tên, Thư điện tử, and Mã đơn vị with Vai trò, "
            "or Nhóm. Nothing is written before you confirm the preview."
        )
    )
