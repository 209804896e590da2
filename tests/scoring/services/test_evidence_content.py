"""Evidence files that could harm an appraiser are refused: archives, macros, programs, bombs."""

import io
import zipfile

import pytest

from scoring.models import Evidence
from scoring.services.score_changes import AssessmentError
from scoring.services.self_assessment import SelfInput, score_self_assess
from tests.scoring.conftest import leaf
from tests.scoring.ole_files import compound_file, native_package
from tests.scoring.services.test_evidence import attach

pytestmark = pytest.mark.django_db
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def score(assessment, editor_a):
    return score_self_assess(
        assessment=assessment,
        criterion=leaf(assessment, "1.1"),
        actor=editor_a,
        entry=SelfInput(points=1),
    )


def package(parts: dict[str, bytes], main: str = DOCX_MAIN, first: str = "word/") -> bytes:
    """An Office Open XML zip: [Content_Types].xml naming the main part, then `parts`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/content-types"><Override PartName="/{first}document.xml" '
            f'ContentType="{main}"/></Types>',
        )
        archive.writestr(f"{first}document.xml", "<w:document/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(score, actor, data: bytes, name: str) -> str:
    with pytest.raises(AssessmentError) as caught:
        attach(score, actor, data, name)
    assert not Evidence.objects.exists()
    return str(caught.value)


# -- archives ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (zipped(**{"ke-hoach.pdf": b"%PDF-1.7"}), "zip"),
        (zipped(**{"setup.exe": PROGRAM}), "zip"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64, "7z"),
        (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "rar"),
    ],
)
def test_an_archive_is_refused_as_such(score, editor_a, english, data, kind):
    assert refused(score, editor_a, data, "ho-so.zip") == (
        f"“ho-so.zip” is an archive ({kind}): archives are not accepted as evidence. Attach "
        "each document itself."
    )


def test_the_refusals_speak_vietnamese(score, editor_a):
    assert refused(score, editor_a, zipped(a=b"x"), "ho-so.zip") == (
        "“ho-so.zip” là tệp nén (zip): không nhận tệp nén làm tài liệu kiểm chứng. Hãy đính "
        "kèm từng tài liệu."
    )
    docm = package({"word/vbaProject.bin": b"\xd0\xcf"})
    assert refused(score, editor_a, docm, "bao-cao.docm").startswith(
        "“bao-cao.docm” chứa macro hoặc mã lệnh khác tự chạy khi mở tệp (word/vbaProject.bin)."
    )


# -- macros -----------------------------------------------------------------------------


MACROS = "contains macros or other code that runs when it is opened"


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (package({"word/vbaProject.bin": b"\xd0\xcf"}), "word/vbaProject.bin"),
        (package({}, main=DOCM_MAIN), DOCM_MAIN),
        (
            package({"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}, first="xl/"),
            "xl/macrosheets/sheet1.xml",
        ),
        (package({"word/activeX/activeX1.xml": b"<ax/>"}), "word/activeX/activeX1.xml"),
    ],
)
def test_an_office_document_with_macros_is_refused(score, editor_a, english, data, part):
    assert refused(score, editor_a, data, "bao-cao.docx") == (
        f"“bao-cao.docx” {MACROS} ({part}). Save it without macros (as .docx, .xlsx, .pptx or "
        "PDF) and attach it again."
    )


def test_a_word_97_document_with_macros_is_refused(score, editor_a, english):
    doc = compound_file({"WordDocument": b"\xec\xa5", "Macros/VBA/dir": b"\x01"})
    assert f"{MACROS} (Macros)" in refused(score, editor_a, doc, "bao-cao.doc")


def test_an_excel_97_workbook_with_an_excel_4_macro_sheet_is_refused(score, editor_a, english):
    # BOF, then a BoundSheet8 record of a macro sheet (type 1), then EOF.
    bound_sheet = b"\x85\x00\x0a\x00" + b"\x00\x00\x00\x00" + b"\x00\x01" + b"\x04\x00Auto"
    workbook = b"\x09\x08\x04\x00\x00\x06\x05\x00" + bound_sheet + b"\x0a\x00\x00\x00"
    xls = compound_file({"Workbook": workbook})
    assert f"{MACROS} (Workbook)" in refused(score, editor_a, xls, "bang.xls")


def test_a_word_97_document_without_macros_is_accepted(score, editor_a):
    doc = compound_file({"WordDocument": b"\xec\xa5", "1Table": b"\x00"})
    assert attach(score, editor_a, doc, "bao-cao.doc").content_type == "application/x-ole-storage"


def test_an_ole_file_that_is_no_office_document_is_refused(score, editor_a, english):
    """An installer (.msi) is an OLE compound file too."""
    msi = compound_file({"\u4840\u3f3f\u4577": b"\x00"})
    assert refused(score, editor_a, msi, "bao-cao.doc") == (
        "“bao-cao.doc” is not a Word, Excel or PowerPoint document."
    )


# -- embedded programs ------------------------------------------------------------------


PROGRAM_INSIDE = "“bao-cao.docx” carries a program inside"


def test_an_embedded_executable_is_refused(score, editor_a, english):
    docx = package({"word/embeddings/package1.bin": PROGRAM})
    assert refused(score, editor_a, docx, "bao-cao.docx") == (
        f"{PROGRAM_INSIDE} (word/embeddings/package1.bin). Remove the embedded object and "
        "attach the document again."
    )


def test_an_ole_object_carrying_an_executable_is_refused(score, editor_a, english):
    ole_object = compound_file({"\x01Ole10Native": native_package("ke-hoach.exe", PROGRAM)})
    docx = package({"word/embeddings/oleObject1.bin": ole_object})
    assert refused(score, editor_a, docx, "bao-cao.docx").startswith(
        f"{PROGRAM_INSIDE} (\x01Ole10Native: ke-hoach.exe)"
    )


def test_an_ole_object_carrying_a_renamed_executable_is_refused(score, editor_a, english):
    ole_object = compound_file({"\x01Ole10Native": native_package("ke-hoach.pdf", PROGRAM)})
    docx = package({"word/embeddings/oleObject1.bin": ole_object})
    assert PROGRAM_INSIDE in refused(score, editor_a, docx, "bao-cao.docx")


def test_a_word_97_document_carrying_an_executable_is_refused(score, editor_a, english):
    payload = native_package("setup.exe", PROGRAM)
    doc = compound_file({"WordDocument": b"\xec\xa5", "ObjectPool/_1/\x01Ole10Native": payload})
    assert refused(score, editor_a, doc, "bao-cao.doc").startswith(
        "“bao-cao.doc” carries a program inside (ObjectPool/_1/\x01Ole10Native: setup.exe)."
    )


def test_an_embedded_chart_workbook_is_looked_into(score, editor_a, english):
    chart = package({}, main=DOCX_MAIN.replace("wordprocessingml.document", "spreadsheetml.sheet"))
    clean = package({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart})
    assert attach(score, editor_a, clean, "bao-cao.docx").content_type.endswith("document")
    Evidence.objects.all().delete()
    with_macros = package({"xl/vbaProject.bin": b"\xd0\xcf"}, first="xl/")
    bad = package({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": with_macros})
    assert f"{MACROS} (xl/vbaProject.bin)" in refused(score, editor_a, bad, "bao-cao.docx")


def test_an_archive_embedded_in_a_document_is_refused(score, editor_a, english):
    docx = package({"word/embeddings/ho-so.zip": zipped(a=b"x")})
    assert refused(score, editor_a, docx, "bao-cao.docx") == (
        "“bao-cao.docx” carries a packed file (zip) inside (word/embeddings/ho-so.zip), whose "
        "content cannot be checked. Remove the embedded object and attach the document again."
    )


# -- bombs ------------------------------------------------------------------------------


def test_a_document_that_unpacks_to_hundreds_of_megabytes_is_refused(score, editor_a, english):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            spaces = b" " * 1024 * 1024
            for _ in range(500):
                member.write(spaces)
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    message = refused(score, editor_a, bomb, "bao-cao.docx")
    assert message.startswith("The file “bao-cao.docx” would unpack its part word/document.xml")
    assert message.endswith("more than the 128.0\xa0MB allowed.")


def test_a_document_packed_far_tighter_than_any_real_one_is_refused(
    score, editor_a, english, settings
):
    settings.EVIDENCE_PART_MAX_BYTES = settings.EVIDENCE_UNPACKED_MAX_BYTES = 10**9
    docx = package({"word/media/blank.xml": b"\0" * (8 * 1024 * 1024)})
    assert "It looks like a zip bomb and was not opened." in refused(
        score, editor_a, docx, "bao-cao.docx"
    )
