"""System checks that stop a production process configured to publish wrong documents.

They run with every management command that checks (migrate, runserver, db_worker —
the worker that renders and signs the decisions — and check --deploy), not only with
--deploy: a worker started with the development address would print it, for ever, on
every decision it publishes. Development (DEBUG on) is left alone, except for a
signing certificate or trust root that is configured but unreadable.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

ADDRESS_HINT = (
    "Set PORTAL_BASE_URL to the portal's public https:// address, e.g. "
    "https://chisocchc.soctrang.gov.vn: the published PDFs print it in their QR code."
)
CATALOGUE_HINT = (
    "Compile the translations: `make messages`, or `msgfmt --check -o "
    "locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po`, or "
    "`manage.py compilemessages`."
)


@checks.register(checks.Tags.security)
def portal_base_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """DEBUG off: PORTAL_BASE_URL must be set, https, and not a loopback address."""
    from reports.portal_address import base_url_problem

    if settings.DEBUG:
        return []
    problem = base_url_problem(settings.PORTAL_BASE_URL)
    if problem is None:
        return []
    return [checks.Error(problem, hint=ADDRESS_HINT, id="cchc.E001")]


def stale_catalogues(locale_paths) -> list[Path]:
    """Each .po whose .mo is missing or older than it."""
    stale = []
    for folder in locale_paths:
        for po in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po)
    return stale


@checks.register(checks.Tags.translation)
def translation_catalogue_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """DEBUG off: the compiled catalogues exist and are newer than their sources.

    Without django.mo the portal runs, in English, and nothing says why.
    """
    if settings.DEBUG:
        return []
    return [
        checks.Error(
            f"{po.with_suffix('.mo')} is missing or older than {po.name}.",
            hint=CATALOGUE_HINT,
            id="cchc.E002",
        )
        for po in stale_catalogues(settings.LOCALE_PATHS)
    ]


@checks.register("signing")
def signing_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The signing certificate and trust roots that are configured can be read."""
    from reports.errors import PublicationError
    from reports.outputs.signing import signing_identity
    from reports.signature_check import trust_roots

    messages = []
    if settings.SIGNING_PKCS12:
        try:
            signing_identity()
        except PublicationError as error:
            messages.append(checks.Error(error.message, id="cchc.E003"))
    elif not settings.DEBUG:
        messages.append(
            checks.Warning(
                "No signing certificate (DJANGO_SIGNING_PKCS12): published decisions will be "
                "signed by the portal's demo certification authority.",
                hint="Set DJANGO_SIGNING_PKCS12 and DJANGO_SIGNING_PKCS12_PASSWORD.",
                id="cchc.W003",
            )
        )
    try:
        trust_roots()
    except ImproperlyConfigured as error:
        messages.append(checks.Error(str(error), id="cchc.E004"))
    tsa = settings.SIGNING_TSA_URL
    if tsa and urlsplit(tsa).scheme not in ("http", "https"):
        messages.append(
            checks.Error(
                f"DJANGO_SIGNING_TSA_URL={tsa!r} is not an http:// or https:// address.",
                id="cchc.E005",
            )
        )
    return messages
