import time
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from reports.errors import PublicationError
from reports.models import Decision
from reports.services.drafting import CitedDocument, decision_create, decision_draft_defaults
from reports.services.publication import decision_publish
from scoring.models import Campaign


def _cited(number: str | None, day: date | None, option: str) -> CitedDocument | None:
    if number is None and day is None:
        return None
    if number is None or day is None:
        raise CommandError(f"Give both {option} and {option}-date.")
    return CitedDocument(number, day)


class Command(BaseCommand):
    help = (
        "Create the decision approving and publishing a campaign's index (with the "
        "drafting defaults), then publish it: freeze the results, render and store the PDF. "
        "For operators and for large provinces, where rendering takes longer than a web "
        "request should wait."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The campaign's year, e.g. 2015.")
        parser.add_argument("--number", required=True, help="For example 2491/QĐ-UBND.")
        parser.add_argument(
            "--date", required=True, type=date.fromisoformat, help="Signing date, YYYY-MM-DD."
        )
        parser.add_argument("--signer", required=True, help="The signer's name.")
        parser.add_argument("--title", default=None, help="The signer's title (PHÓ CHỦ TỊCH).")
        parser.add_argument("--mode", choices=[m.value for m in Decision.SigningMode], default=None)
        parser.add_argument(
            "--actor", required=True, help="Username of the staff member who publishes."
        )
        # The legal bases cite both; without them the draft's blanks refuse publication.
        parser.add_argument("--plan", help="The year's assessment plan, e.g. 19/KH-UBND.")
        parser.add_argument(
            "--plan-date", type=date.fromisoformat, help="The plan's date, YYYY-MM-DD."
        )
        parser.add_argument(
            "--submission", help="The Interior Department's submission, e.g. 1386/TTr-SNV."
        )
        parser.add_argument(
            "--submission-date", type=date.fromisoformat, help="Its date, YYYY-MM-DD."
        )

    def handle(self, *args, year: int, number: str, date: date, signer: str, **options):
        campaign = Campaign.objects.filter(year=year).first()
        if campaign is None:
            raise CommandError(f"No campaign for {year}.")
        actor = get_user_model().objects.filter(username=options["actor"]).first()
        if actor is None:
            raise CommandError(f"No user {options['actor']!r}.")
        fields = decision_draft_defaults(
            campaign=campaign,
            signed_on=date,
            plan=_cited(options["plan"], options["plan_date"], "--plan"),
            submission=_cited(options["submission"], options["submission_date"], "--submission"),
        )
        if options["title"]:
            fields["signer_title"] = options["title"]
        if options["mode"]:
            fields["signing_mode"] = options["mode"]
            if options["mode"] == Decision.SigningMode.TM and not options["title"]:
                fields["signer_title"] = "CHỦ TỊCH"

        started = time.perf_counter()
        try:
            # The draft is created in the same transaction: a refusal leaves nothing behind.
            with transaction.atomic():
                draft = decision_create(
                    campaign=campaign,
                    actor=actor,
                    values={**fields, "number": number, "signed_on": date, "signer_name": signer},
                )
                decision = decision_publish(decision=draft, actor=actor)
        except PublicationError as error:
            raise CommandError(error.message) from None
        except IntegrityError:
            raise CommandError(f"A decision {number} of {date:%d/%m/%Y} already exists.") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Published {decision} for {year}: {decision.rows.count()} rows, "
            f"{decision.pdf.name} in {elapsed:.1f} s\nSHA-256 {decision.pdf_sha256}"
        )
