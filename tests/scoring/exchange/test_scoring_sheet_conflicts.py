"""A scoring sheet is "opened" when it is downloaded: it may not overwrite a leaf someone
saved on the portal since (the time is on its info sheet, "Tải về lúc")."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scoring.exchange.scoring_sheet_reader import read_scoring_sheet
from scoring.services.evidence import evidence_attach
from scoring.services.import_rows import ImportRefused
from scoring.services.self_assessment import SelfInput, score_self_assess
from scoring.services.sheet_import import assessment_sheet_export, assessment_sheet_import
from tests.scoring.conftest import fill_in, leaf
from tests.scoring.sheets import edit_sheet, nothing_written

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def download(assessment) -> bytes:
    return assessment_sheet_export(assessment=assessment)[0]


def refused(assessment, actor, data: bytes) -> list[tuple]:
    with nothing_written(), pytest.raises(ImportRefused) as caught:
        assessment_sheet_import(assessment=assessment, actor=actor, file=data)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def save_points(assessment, actor, code: str, points: str) -> None:
    score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, code),
        actor=actor,
        entry=SelfInput(points=D(points)),
    )


def test_a_sheet_cannot_overwrite_a_leaf_saved_after_it_was_downloaded(
    assessment, editor_a, head_a, english
):
    fill_in(assessment, editor_a)
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1.5}})
    save_points(assessment, head_a, "1.1", "1.75")

    [(sheet, row, column, message)] = refused(assessment, editor_a, data)

    assert (sheet, row, column) == ("Chấm điểm", 3, "Mã")
    assert re.fullmatch(
        r"changed on the portal by head_a at \d\d:\d\d, after this sheet was downloaded "
        r"\(\d\d:\d\d \d\d/\d\d/\d{4}\): saved now 1\.75 points, in this file 1\.5 points\. "
        r"Download the sheet again and enter your changes in it, or make this one on the portal\.",
        message,
    ), message


def test_nor_undo_it_with_the_value_it_held_when_downloaded(assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    data = edit_sheet(download(assessment), {"1.3": {"Tử số": 96}})
    save_points(assessment, head_a, "1.1", "1.75")  # the sheet still says 2
    problems = refused(assessment, editor_a, data)
    assert [(row, column) for _sheet, row, column, _message in problems] == [(3, "Mã")]


def test_a_leaf_saved_before_the_download_is_no_conflict(assessment, editor_a, head_a):
    fill_in(assessment, editor_a)
    save_points(assessment, head_a, "1.1", "1.75")
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1.5}})
    result = assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    assert result.changed == ["1.1"]
    assert assessment.scores.get(criterion__code="1.1").self_points == D("1.5")


def test_an_upload_since_the_download_is_no_conflict(assessment, editor_a, head_a):
    data = edit_sheet(download(assessment), {"1.1": {"Điểm tự chấm": 1.5}})
    # The upload makes an empty score (version 0): nothing the sheet could overwrite.
    evidence_attach(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=head_a,
        file=SimpleUploadedFile("ke-hoach.pdf", PDF),
        name="ke-hoach.pdf",
    )
    result = assessment_sheet_import(assessment=assessment, actor=editor_a, file=data)
    assert result.changed == ["1.1"]


def test_a_sheet_that_does_not_say_when_it_was_downloaded_is_refused(assessment, editor_a, english):
    data = edit_sheet(
        download(assessment), {"1.1": {"Điểm tự chấm": 1.5}}, info={"Tải về lúc": None}
    )
    assert refused(assessment, editor_a, data) == [
        (
            "Thông tin",
            5,
            "Tải về lúc",
            "the file does not say when it was downloaded, so changes made on the portal "
            "since could be overwritten: download this assessment's own sheet and fill that in.",
        )
    ]


def test_the_download_time_is_read_to_the_millisecond_or_as_a_clerk_typed_it(assessment):
    before = timezone.now()
    data = download(assessment)
    downloaded_at = read_scoring_sheet(data).downloaded_at
    assert before < downloaded_at <= timezone.now() + datetime.timedelta(milliseconds=1)
    typed = edit_sheet(data, info={"Tải về lúc": "05/01/2016 08:30"})
    assert read_scoring_sheet(typed).downloaded_at == timezone.make_aware(
        datetime.datetime(2016, 1, 5, 8, 30)
    )
