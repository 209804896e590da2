"""Drafting, previewing, publishing and correcting a decision: staff only, drafts only."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reports.models import Decision
from reports.outputs.pdf import decision_html
from reports.services import publication
from scoring.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(draft, staff) -> Decision:
    from reports.services.publication import decision_publish

    return decision_publish(decision=draft, actor=staff)


def form_data(**overrides) -> dict:
    data = {
        "number": "2491/QĐ-UBND",
        "signed_on": "17/10/2016",
        "place": "Sóc Trăng",
        "issuing_body": "Ủy ban nhân dân tỉnh Sóc Trăng",
        "subject": "Phê duyệt và công bố Chỉ số cải cách hành chính năm 2015",
        "signing_mode": "KT",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Thành Trí",
        "legal_bases": "Căn cứ Luật A;\r\n\r\n  Căn cứ Luật B;  \r\n",
        "articles": "Điều một.\nĐiều hai.\nĐiều ba./.",
        "recipients": "Như Điều 3;\nLưu: VT, NC.",
    }
    data.update(overrides)
    return data


# -- access --------------------------------------------------------------------------


def get_urls(draft: Decision) -> list[str]:
    return [
        reverse("reports:decision_list_staff", args=[2015]),
        reverse("reports:decision_create", args=[2015]),
        reverse("reports:decision_edit", args=[draft.pk]),
        reverse("reports:decision_preview", args=[draft.pk]),
        reverse("reports:decision_preview_pdf", args=[draft.pk]),
    ]


def post_urls(draft: Decision) -> list[str]:
    return [
        reverse("reports:decision_publish", args=[draft.pk]),
        reverse("reports:decision_correct", args=[draft.pk]),
    ]


def test_staff_open_every_page(client, staff, draft):
    client.force_login(staff)
    for url in get_urls(draft):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("persona", ["appraiser", "editor_a", "head_a"])
def test_others_are_refused(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in get_urls(draft):
        assert client.get(url).status_code == 403, url
    for url in post_urls(draft):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_anonymous_is_sent_to_log_in(client, draft):
    for url in get_urls(draft) + post_urls(draft):
        response = client.get(url) if url in get_urls(draft) else client.post(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_post_only_views_refuse_get(client, staff, draft):
    client.force_login(staff)
    for url in post_urls(draft):
        assert client.get(url).status_code == 405, url


def test_bad_ids_are_not_found(client, staff, campaign):
    client.force_login(staff)
    assert client.get(reverse("reports:decision_list_staff", args=[1999])).status_code == 404
    assert client.get(reverse("reports:decision_create", args=[1999])).status_code == 404
    for name in ("decision_edit", "decision_preview", "decision_preview_pdf"):
        assert client.get(reverse(f"reports:{name}", args=[999999])).status_code == 404
    for name in ("decision_publish", "decision_correct"):
        assert client.post(reverse(f"reports:{name}", args=[999999])).status_code == 404


# -- drafting ------------------------------------------------------------------------


def test_the_list_shows_the_campaigns_decisions_and_the_new_draft_button(client, staff, draft):
    client.force_login(staff)
    page = client.get(reverse("reports:decision_list_staff", args=[2015])).content.decode()
    assert "2491/QĐ-UBND" in page
    assert reverse("reports:decision_create", args=[2015]) in page
    detail = client.get(reverse("campaigns:campaign_detail", args=[2015])).content.decode()
    assert reverse("reports:decision_list_staff", args=[2015]) in detail


def test_a_new_draft_is_prefilled_from_the_service_defaults(client, staff, campaign):
    client.force_login(staff)
    response = client.get(reverse("reports:decision_create", args=[2015]))
    form = response.context["form"]
    assert "2015" in form.initial["subject"]
    page = response.content.decode()
    assert 'for="id_legal_bases"' in page  # labelled fields
    assert "Căn cứ" in page  # the list fields arrive one item a line


def test_creating_a_draft_parses_the_date_and_one_item_a_line(client, staff, campaign):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_create", args=[2015]), form_data())
    decision = Decision.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_preview", args=[decision.pk])
    assert decision.status == Decision.Status.DRAFT
    assert decision.signed_on == dt.date(2016, 10, 17)
    assert decision.legal_bases == ["Căn cứ Luật A;", "Căn cứ Luật B;"]
    assert decision.articles == ["Điều một.", "Điều hai.", "Điều ba./."]
    assert decision.recipients == ["Như Điều 3;", "Lưu: VT, NC."]


def test_an_invalid_draft_is_shown_again_with_its_errors(client, staff, campaign):
    client.force_login(staff)
    data = form_data(signed_on="2016-10-17", recipients=" \n \n", articles="")
    response = client.post(reverse("reports:decision_create", args=[2015]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"signed_on", "recipients", "articles"}
    assert not Decision.objects.exists()


def test_editing_a_draft(client, staff, draft):
    client.force_login(staff)
    edit = reverse("reports:decision_edit", args=[draft.pk])
    page = client.get(edit).content.decode()
    assert 'value="17/10/2016"' in page
    assert "Như Điều 3;\nLưu: VT, NC." in page
    response = client.post(edit, form_data(signer_name="Trần Văn Chuôl", signed_on="07/02/2016"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.signer_name, draft.signed_on) == ("Trần Văn Chuôl", dt.date(2016, 2, 7))


def test_the_preview_shows_the_document_and_the_summary(client, staff, draft):
    client.force_login(staff)
    response = client.get(reverse("reports:decision_preview", args=[draft.pk]))
    assert len(response.context["rows"]) == 0  # results not computed yet: an empty appendix
    from scoring.services.results import results_compute

    results_compute(campaign=draft.campaign)
    response = client.get(reverse("reports:decision_preview", args=[draft.pk]))
    assert len(response.context["rows"]) == 2
    assert "Sở Giáo dục và Đào tạo xếp thứ nhất" in " ".join(response.context["summary_paragraphs"])
    assert "srcdoc=" in response.content.decode()


def test_an_empty_appendix_links_to_the_pages_that_compute_the_results(client, staff, draft):
    client.force_login(staff)
    preview = reverse("reports:decision_preview", args=[draft.pk])
    html = client.get(preview).content.decode()
    year = draft.campaign.year
    assert f'href="{reverse("campaigns:campaign_results", args=[year, "so"])}"' in html
    assert "Kết quả khối Sở, ban, ngành" in html
    from scoring.services.results import results_compute

    results_compute(campaign=draft.campaign)
    html = client.get(preview).content.decode()
    assert 'id="no-results"' not in html
    assert reverse("campaigns:campaign_results", args=[year, "so"]) not in html


def test_the_preview_lets_the_framed_document_keep_its_styles_but_not_run_scripts(
    client, staff, draft
):
    """The document's own <style> needs inline styles; its page alone relaxes the policy."""
    client.force_login(staff)
    response = client.get(reverse("reports:decision_preview", args=[draft.pk]))
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    other = client.get(reverse("reports:decision_edit", args=[draft.pk]))
    assert directives(other["Content-Security-Policy"])["style-src"] == "'self'"


def directives(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive → sources (their order varies)."""
    pairs = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: sources for name, _space, sources in pairs}


def test_the_draft_pdf_is_rendered_on_request_and_never_stored(client, staff, draft):
    client.force_login(staff)
    response = client.get(reverse("reports:decision_preview_pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    draft.refresh_from_db()
    assert not draft.pdf


# -- publishing ----------------------------------------------------------------------


def test_publishing_a_draft(client, staff, draft):
    """The tests run tasks at once (DJANGO_TASKS_BACKEND=immediate): done by the redirect."""
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publish", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_publication", args=[draft.pk])
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Decision.Status.PUBLISHED
    assert draft.published_by == staff
    assert draft.rows.count() == 2
    assert draft.summary.startswith("Ngày 17/10/2016, Ủy ban nhân dân tỉnh Sóc Trăng")


def test_publishing_is_refused_while_an_assessment_is_not_appraised(client, staff, draft, unit_b):
    Assessment.objects.filter(unit=unit_b).update(state=Assessment.State.SUBMITTED)
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publish", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["errors"]
    page = response.content.decode()
    assert 'id="publication-errors"' in page
    assert unit_b.name in page
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT
    assert not draft.rows.exists()


def test_the_publish_button_says_why_it_is_disabled_before_a_click(client, staff, draft, unit_b):
    """Issue 12: "Publish" listed the unsubmitted units only after it was clicked."""
    client.force_login(staff)
    page = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    assert 'id="publish-why"' not in page
    Assessment.objects.filter(unit=unit_b).update(state=Assessment.State.DRAFT)
    response = client.get(reverse("reports:decision_preview", args=[draft.pk]))
    page = response.content.decode()
    assert 'aria-describedby="publish-why publish-note" disabled' in page
    assert unit_b.name in page.split('id="publish-why"')[1]
    assert response.context["refusals"] == publication.publication_refusals(draft)


def test_a_published_decision_cannot_be_edited(client, staff, published):
    client.force_login(staff)
    edit = reverse("reports:decision_edit", args=[published.pk])
    for response in (client.get(edit), client.post(edit, form_data(signer_name="Người khác"))):
        assert response.status_code == 403
        assert "2491/QĐ-UBND" in response.content.decode()
        assert reverse("reports:decision_correct", args=[published.pk]) in response.content.decode()
    published.refresh_from_db()
    assert published.signer_name == "Lê Thành Trí"


def test_a_published_decision_is_not_published_again(client, staff, published):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publish", args=[published.pk]))
    assert response.status_code == 200
    assert response.context["errors"]


def test_the_pdf_preview_of_a_published_decision_leads_to_the_public_page(client, staff, published):
    client.force_login(staff)
    response = client.get(reverse("reports:decision_preview_pdf", args=[published.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_detail", args=[published.pk])


# -- correcting ----------------------------------------------------------------------


def test_correcting_a_published_decision_drafts_its_successor(client, staff, published):
    client.force_login(staff)
    response = client.post(
        reverse("reports:decision_correct", args=[published.pk]),
        {"reason": "Sai điểm của Sở Giao thông vận tải."},
    )
    correction = Decision.objects.get(supersedes=published)
    assert response.status_code == 302
    assert response.url == reverse("reports:decision_edit", args=[correction.pk])
    assert correction.status == Decision.Status.DRAFT
    assert correction.correction_reason == "Sai điểm của Sở Giao thông vận tải."
    page = client.get(response.url).content.decode()
    assert "Sai điểm của Sở Giao thông vận tải." in page


def test_a_correction_needs_a_reason(client, staff, published):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_correct", args=[published.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["correction_form"].errors
    assert not Decision.objects.filter(supersedes=published).exists()


def test_a_draft_cannot_be_corrected(client, staff, draft):
    client.force_login(staff)
    response = client.post(reverse("reports:decision_correct", args=[draft.pk]), {"reason": "x"})
    assert response.status_code == 400
    assert response.context["correction_form"].non_field_errors()
    assert not Decision.objects.filter(supersedes=draft).exists()


# -- a half-written decision -----------------------------------------------------------


def test_a_draft_with_placeholders_is_shown_again_with_each_reason_on_its_field(
    client, staff, campaign
):
    client.force_login(staff)
    data = form_data(
        number="…/QĐ-UBND",
        legal_bases="Căn cứ Luật A;\nTheo đề nghị tại Tờ trình số …/TTr-SNV ngày ….",
    )
    response = client.post(reverse("reports:decision_create", args=[2015]), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"number", "legal_bases"}
    page = response.content.decode()
    assert "Số, ký hiệu: “…/QĐ-UBND” còn chỗ trống chưa điền (…)" in page
    assert "Căn cứ pháp lý, dòng 2: “Tờ trình số …/TTr-SNV ngày ….”" in page
    assert not Decision.objects.exists()


def test_editing_a_draft_into_a_placeholder_saves_nothing(client, staff, draft):
    client.force_login(staff)
    edit = reverse("reports:decision_edit", args=[draft.pk])
    response = client.post(edit, form_data(signer_name="Nguyễn Văn xx"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["signer_name"]
    draft.refresh_from_db()
    assert draft.signer_name == "Lê Thành Trí"


def test_the_preview_says_what_still_blocks_publication(client, staff, draft):
    Decision.objects.filter(pk=draft.pk).update(
        legal_bases=["Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh;"]
    )
    client.force_login(staff)
    page = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    assert 'id="text-problems"' in page
    assert "Căn cứ pháp lý, dòng 1: “Kế hoạch số …/KH-UBND ngày …”" in page

    Decision.objects.filter(pk=draft.pk).update(legal_bases=["Căn cứ Luật A;"])
    page = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    assert 'id="text-problems"' not in page


def test_publishing_a_draft_with_placeholders_shows_why_on_the_preview(client, staff, draft):
    Decision.objects.filter(pk=draft.pk).update(recipients=["Như Điều 3;", "Lưu: VT, ..."])
    client.force_login(staff)
    response = client.post(reverse("reports:decision_publish", args=[draft.pk]))

    assert response.status_code == 200
    assert response.context["errors"] == [
        "Nơi nhận, dòng 2: “Lưu: VT, ...” còn chỗ trống chưa điền (...): hãy ghi nội dung thật."
    ]
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_the_framed_document_is_escaped_whole_into_the_srcdoc_attribute(client, staff, draft):
    """An unescaped quote in the document used to end the attribute: the frame was blank."""
    frames = []

    class Frames(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                frames.append(dict(attrs))

    client.force_login(staff)
    page = client.get(reverse("reports:decision_preview", args=[draft.pk])).content.decode()
    Frames().feed(page)

    [frame] = frames
    assert set(frame) == {"class", "title", "srcdoc"}  # nothing of the document leaked out
    assert frame["srcdoc"] == decision_html(decision=draft, rows=[], for_pdf=False)
    assert "QUYẾT ĐỊNH" in frame["srcdoc"] and draft.subject in frame["srcdoc"]
