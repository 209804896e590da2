"""Staff pages of a province's accounts: the list, a new account, one account's page and
each change made there (one view per action, each calling one service)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc_portal.accounts.forms.accounts import (
    AccountCreateForm,
    AccountEditForm,
    AccountFilterForm,
    GroupsForm,
    UnitRoleForm,
)
from cchc_portal.accounts.selectors import accounts as selectors
from cchc_portal.accounts.services import accounts as services
from cchc_portal.accounts.services import invitations, roles
from cchc_portal.accounts.services.roles import AccountError
from units.access import may_grant_staff_role, may_manage_account
from units.decorators import staff_required
from units.models import APPRAISER_GROUP, STAFF_GROUP, Unit
from units.people import person_name

User = get_user_model()
ACCOUNTS_PER_PAGE = 50


def _units() -> list:
    return selectors.unit_choices(timezone.localdate().year)


@require_GET
@staff_required
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.account_list(
        text=filters.get("q") or "",
        role=filters.get("role") or "",
        status=filters.get("status") or "",
    )
    page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"form": form, "page_obj": page})


@require_http_methods(["GET", "POST"])
@staff_required
def account_create(request: HttpRequest) -> HttpResponse:
    may_grant_staff = may_grant_staff_role(request.user)
    form = AccountCreateForm(request.POST or None, units=_units(), may_grant_staff=may_grant_staff)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                role=data["role"],
                appraiser=data["appraiser"],
                staff=data["staff"],
            )
        except AccountError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Account %(username)s created; its invitation is on its way to %(email)s.")
                % {"username": account.username, "email": account.email},
            )
            return redirect("accounts:account_detail", pk=account.pk)
    return render(
        request,
        "accounts/account_create.html",
        {"form": form, "invitation_days": settings.INVITATION_TIMEOUT // (24 * 3600)},
    )


@require_GET
@staff_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(request: HttpRequest, pk: int, *, status: int = 200, **forms) -> HttpResponse:
    """The account's page, with the bound form of a refused post in place of its blank one."""
    detail = selectors.account_detail(pk)
    if detail is None:
        raise Http404
    account = detail.account
    may_grant_staff = may_grant_staff_role(request.user)
    context = {
        "detail": detail,
        "account": account,
        "may_manage": may_manage_account(request.user, account),
        "own": account.pk == request.user.pk,
        "edit_form": forms.get("edit_form")
        or AccountEditForm(initial={"full_name": person_name(account), "email": account.email}),
        "unit_role_form": forms.get("unit_role_form") or UnitRoleForm(units=_units()),
        "groups_form": forms.get("groups_form")
        or GroupsForm(
            initial={
                "appraiser": APPRAISER_GROUP in detail.groups,
                "staff": STAFF_GROUP in detail.groups,
            },
            may_grant_staff=may_grant_staff,
        ),
        "refusal": forms.get("refusal"),
    }
    return render(request, "accounts/account_detail.html", context, status=status)


def _account(pk: int):
    return get_object_or_404(User, pk=pk)


def _refused(request: HttpRequest, pk: int, refusal: AccountError, **forms) -> HttpResponse:
    return _detail_page(request, pk, status=409, refusal=str(refusal), **forms)


@require_POST
@staff_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = AccountEditForm(request.POST, account=account)
    if not form.is_valid():
        return _detail_page(request, pk, edit_form=form)
    try:
        changed = services.account_update(actor=request.user, user=account, **form.cleaned_data)
    except AccountError as refusal:
        return _refused(request, pk, refusal, edit_form=form)
    if "email" in changed:
        messages.success(
            request,
            _(
                "The e-mail address is changed: the invitation links sent before no longer "
                "work. Send the invitation again if it is still needed."
            ),
        )
    elif changed:
        messages.success(request, _("The account is saved."))
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def account_unit_role_set(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = UnitRoleForm(request.POST, units=_units())
    if not form.is_valid():
        return _detail_page(request, pk, unit_role_form=form)
    try:
        change = roles.unit_role_set(actor=request.user, user=account, **form.cleaned_data)
    except AccountError as refusal:
        return _refused(request, pk, refusal, unit_role_form=form)
    if change is not None:
        messages.success(request, _("The role is saved and recorded."))
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def account_unit_role_remove(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    account, unit = _account(pk), get_object_or_404(Unit, pk=unit_pk)
    try:
        roles.unit_role_remove(actor=request.user, user=account, unit=unit)
    except AccountError as refusal:
        return _refused(request, pk, refusal)
    messages.success(
        request, _("The role in %(unit)s is withdrawn and recorded.") % {"unit": unit.name}
    )
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def account_groups_set(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    detail_groups = set(account.groups.values_list("name", flat=True))
    form = GroupsForm(
        request.POST,
        initial={"staff": STAFF_GROUP in detail_groups},
        may_grant_staff=may_grant_staff_role(request.user),
    )
    if not form.is_valid():
        return _detail_page(request, pk, groups_form=form)
    try:
        changes = roles.groups_set(actor=request.user, user=account, **form.cleaned_data)
    except AccountError as refusal:
        return _refused(request, pk, refusal, groups_form=form)
    if changes:
        messages.success(request, _("The roles are saved and recorded."))
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.account_deactivate(actor=request.user, user=_account(pk))
    except AccountError as refusal:
        return _refused(request, pk, refusal)
    messages.success(request, _("The account is deactivated: it can no longer log in."))
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.account_reactivate(actor=request.user, user=_account(pk))
    except AccountError as refusal:
        return _refused(request, pk, refusal)
    messages.success(request, _("The account is active again."))
    return redirect("accounts:account_detail", pk=pk)


@require_POST
@staff_required
def invitation_send(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invitation = invitations.invitation_send_again(actor=request.user, user=_account(pk))
    except AccountError as refusal:
        return _refused(request, pk, refusal)
    if invitation.status == invitation.Status.SENT:
        messages.success(
            request,
            _("The invitation is sent to %(email)s; the earlier links no longer work.")
            % {"email": invitation.user.email},
        )
    else:
        messages.error(
            request,
            _("The invitation could not be sent: %(reason)s. The account is kept; try again later.")
            % {"reason": invitation.failure},
        )
    return redirect("accounts:account_detail", pk=pk)
