"""An empty signature field where the template puts the signer's block, for the signer to fill.

The layout decides where the signature goes (CSS, not coordinates): the template marks
the space left for the signature with an id, WeasyPrint reports that element's
rectangle as an anchor, and this finisher adds an unsigned signature field (a widget
annotation) at that rectangle before the PDF is written. reports.outputs.signing then
signs that field, so the visible signature sits in the signer's block.
"""

import pydyf
from weasyprint import Document

FIELD_NAME = "Signature"
ANCHOR = "signature-box"
PRINT_FLAG = 4  # PDF/A: every annotation is printed
PX_TO_PT = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch


def _page_objects(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    return [
        item
        for item in pdf.objects
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page"
    ]


def signature_field_finisher(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: add the field at the ANCHOR element; no anchor, no field."""
    for number, page in enumerate(document.pages):
        rectangle = page.anchors.get(ANCHOR)
        if rectangle is None:
            continue
        left, top, right, bottom = rectangle
        height = page.height * PX_TO_PT
        # CSS pixels from the top-left corner → PDF points from the bottom-left corner.
        rect = [
            left * PX_TO_PT,
            height - bottom * PX_TO_PT,
            right * PX_TO_PT,
            height - top * PX_TO_PT,
        ]
        pdf_page = _page_objects(pdf)[number]
        field = pydyf.Dictionary(
            {
                "Type": "/Annot",
                "Subtype": "/Widget",
                "FT": "/Sig",
                "T": pydyf.String(FIELD_NAME),
                "Rect": pydyf.Array(rect),
                "F": PRINT_FLAG,
                "P": pdf_page.reference,
            }
        )
        pdf.add_object(field)
        pdf_page.setdefault("Annots", pydyf.Array()).append(field.reference)
        form = pdf.catalog.setdefault("AcroForm", pydyf.Dictionary({"Fields": pydyf.Array()}))
        form["Fields"].append(field.reference)
        return
