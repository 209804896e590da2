"""Lam Giang's 2025 frameworks: one per block, in today's eight areas.

The areas are those of the 2021–2030 programme (DOMAIN.md); the titles follow the kind
of criteria provinces used for the 2025 index after the reorganisation, but the maxima
and scales are invented (the official annexes could not be read). Each tree has 100
points, 30 of them from surveys (citizens' satisfaction, the leaders' and the
officials' ratings), all in the eighth area. Departments weigh institutional work more;
wards and communes weigh administrative procedures and the one-stop shop more, and
communes have the new-countryside target where wards have urban order.

The trees are written to docs/samples by the framework writer and come into the demo
through the framework import, as a province's own frameworks would.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from demo.criteria_sets import (
    Branch,
    Leaf,
    NodeSpec,
    direct,
    flatten,
    levels,
    on_time,
    ratio,
    survey,
)
from demo.lam_giang import COMMUNES_BLOCK, DEPARTMENTS_BLOCK, WARDS_BLOCK
from scoring.exchange.framework_writer import write_framework_workbook

YEAR = 2025
SOURCE_DECISION = (
    "Minh họa theo cấu trúc Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ "
    "(bộ tiêu chí minh họa của tỉnh Lam Giang, không phải văn bản chính thức)"
)
NAMES = {
    DEPARTMENTS_BLOCK: "Bộ tiêu chí Chỉ số CCHC sở, ban, ngành tỉnh Lam Giang năm 2025",
    WARDS_BLOCK: "Bộ tiêu chí Chỉ số CCHC UBND phường tỉnh Lam Giang năm 2025",
    COMMUNES_BLOCK: "Bộ tiêu chí Chỉ số CCHC UBND xã, đặc khu tỉnh Lam Giang năm 2025",
}
CITIZENS = "Người dân, tổ chức"
LEADERS = "Lãnh đạo UBND tỉnh, Sở Nội vụ"
OFFICIALS = "Công chức, viên chức"


def sample_name(block: str) -> str:
    return f"framework-{YEAR}-{block}-sample.xlsx"


def _tree(block: str) -> tuple[Branch, ...]:
    local = block != DEPARTMENTS_BLOCK
    commune = block == COMMUNES_BLOCK
    inspected = "các phòng chuyên môn" if local else "các phòng, đơn vị trực thuộc"
    return (
        Branch(
            "Công tác chỉ đạo, điều hành cải cách hành chính",
            (
                on_time("Ban hành kế hoạch CCHC năm 2025 đúng thời hạn", "2"),
                ratio(
                    "Mức độ hoàn thành kế hoạch CCHC năm",
                    ("100", "3"),
                    ("80", "2"),
                    ("60", "1"),
                    ("0", "0"),
                    guidance="Tỷ lệ nhiệm vụ hoàn thành trên tổng số nhiệm vụ của kế hoạch.",
                    figures=(14, 30),
                    note="Báo cáo năm chưa thể hiện kết quả của một số nhiệm vụ.",
                ),
                levels(
                    "Thực hiện chế độ báo cáo CCHC định kỳ",
                    ("Đầy đủ, đúng thời hạn", "1.5"),
                    ("Đầy đủ nhưng có báo cáo chậm", "0.75"),
                    ("Không đầy đủ", "0"),
                    note="Báo cáo CCHC quý III gửi chậm so với thời hạn.",
                ),
                direct(
                    f"Kiểm tra, tự kiểm tra công tác CCHC đối với {inspected}",
                    "1.5",
                    step="0.5",
                    note="Chưa có kết luận kiểm tra làm tài liệu kiểm chứng.",
                ),
            ),
        ),
        Branch(
            "Cải cách thể chế",
            (
                levels(
                    "Xây dựng, ban hành văn bản quy phạm pháp luật thuộc thẩm quyền"
                    if not local
                    else "Ban hành văn bản quy phạm pháp luật của HĐND, UBND cấp xã",
                    ("Đúng quy trình, đúng thời hạn", "2" if local else "3"),
                    ("Có văn bản chậm hoặc sai quy trình", "1" if local else "1.5"),
                    ("Không thực hiện", "0"),
                    na_allowed=local,
                    note="Có văn bản ban hành chậm so với kế hoạch.",
                ),
                direct(
                    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật",
                    "1.5" if local else "2",
                    step="0.5",
                    note="Kết quả rà soát chưa được công bố đúng thời hạn.",
                ),
                ratio(
                    "Xử lý văn bản trái pháp luật sau kiểm tra",
                    ("100", "1.5" if local else "2"),
                    ("50", "0.75" if local else "1"),
                    ("0", "0"),
                    figures=(2, 6),
                    na_allowed=True,
                    note="Còn văn bản phát hiện sai sót chưa được xử lý.",
                ),
            ),
        ),
        Branch(
            "Cải cách thủ tục hành chính",
            (
                on_time("Công bố, công khai thủ tục hành chính đúng quy định", "2"),
                ratio(
                    "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
                    ("100", "5" if local else "4"),
                    ("98", "4" if local else "3"),
                    ("95", "2"),
                    ("0", "0"),
                    guidance="Số hồ sơ giải quyết đúng hạn trên tổng số hồ sơ đã giải quyết "
                    "(số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh).",
                    figures=(1200, 4800) if local else (300, 2500),
                    loss_weight=2,
                    note="Số liệu trên Hệ thống cho thấy tỷ lệ đúng hạn thấp hơn đơn vị báo cáo.",
                ),
                levels(
                    "Thực hiện cơ chế một cửa, một cửa liên thông"
                    + (" tại Trung tâm phục vụ hành chính công cấp xã" if local else ""),
                    ("Đúng quy định", "4" if local else "3"),
                    ("Còn tồn tại, hạn chế", "2" if local else "1.5"),
                    ("Không đúng quy định", "0"),
                    note="Còn hồ sơ tiếp nhận không qua bộ phận một cửa.",
                ),
                direct(
                    "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính",
                    "2",
                    step="0.5",
                    note="Có phản ánh xử lý quá thời hạn.",
                ),
                direct(
                    "Xin lỗi người dân khi giải quyết hồ sơ quá hạn",
                    "2",
                    step="0.5",
                    note="Chưa có văn bản xin lỗi đối với một số hồ sơ quá hạn.",
                ),
            ),
        ),
        Branch(
            "Cải cách tổ chức bộ máy hành chính",
            (
                levels(
                    "Sắp xếp tổ chức bộ máy theo quy định sau hợp nhất, sáp nhập"
                    if not local
                    else "Kiện toàn các phòng chuyên môn, tổ chức sau sắp xếp",
                    ("Hoàn thành đúng thời hạn", "3" if not local else "2.5"),
                    ("Hoàn thành chậm", "1.5" if not local else "1.25"),
                    ("Chưa hoàn thành", "0"),
                    note="Quyết định kiện toàn ban hành chậm.",
                ),
                direct(
                    "Thực hiện quy định về vị trí việc làm, biên chế được giao",
                    "3" if not local else "2.5",
                    step="0.5",
                    note="Đề án vị trí việc làm chưa được điều chỉnh sau sắp xếp.",
                ),
            ),
        ),
        Branch(
            "Cải cách chế độ công vụ",
            (
                direct(
                    "Tuyển dụng, sử dụng, quản lý công chức, viên chức đúng quy định",
                    "3" if not local else "2.5",
                    step="0.5",
                    note="Hồ sơ công chức chưa cập nhật lên cơ sở dữ liệu quốc gia.",
                ),
                levels(
                    "Đánh giá, xếp loại chất lượng công chức theo kết quả, sản phẩm cụ thể",
                    ("Thực hiện đúng quy định", "2.5" if not local else "2"),
                    ("Còn hạn chế", "1.25" if not local else "1"),
                    ("Không thực hiện", "0"),
                    note="Chưa lượng hóa kết quả, sản phẩm trong đánh giá.",
                ),
                ratio(
                    "Tỷ lệ công chức được bồi dưỡng, cập nhật kiến thức trong năm",
                    ("90", "2.5"),
                    ("70", "1.5"),
                    ("0", "0"),
                    figures=(20, 60) if not local else (12, 30),
                    note="Danh sách bồi dưỡng chưa khớp với số liệu báo cáo.",
                ),
            ),
        ),
        Branch(
            "Cải cách tài chính công",
            (
                levels(
                    "Giải ngân vốn đầu tư công được giao",
                    ("Đạt trên 95%", "3"),
                    ("Đạt từ 80% đến 95%", "1.5"),
                    ("Dưới 80%", "0"),
                    loss_weight=2,
                    note="Tỷ lệ giải ngân theo số liệu của Sở Tài chính thấp hơn báo cáo.",
                ),
                direct(
                    "Thực hiện công khai ngân sách, quản lý tài sản công",
                    "3",
                    step="0.5",
                    note="Công khai dự toán chậm so với thời hạn.",
                ),
            ),
        ),
        Branch(
            "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
            (
                ratio(
                    "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến",
                    ("80", "5"),
                    ("50", "3"),
                    ("30", "1.5"),
                    ("0", "0"),
                    guidance="Số hồ sơ trực tuyến toàn trình và một phần trên tổng số hồ sơ.",
                    figures=(800, 3600) if local else (300, 2500),
                    loss_weight=2,
                    note="Số liệu trên Cổng dịch vụ công thấp hơn đơn vị báo cáo.",
                ),
                ratio(
                    "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
                    ("100", "4"),
                    ("80", "2.5"),
                    ("50", "1"),
                    ("0", "0"),
                    figures=(800, 3600) if local else (300, 2500),
                    loss_weight=2,
                    note="Nhiều kết quả giải quyết chưa được ký số, lưu trữ điện tử.",
                ),
                levels(
                    "Gửi, nhận văn bản điện tử có ký số qua hệ thống quản lý văn bản",
                    ("100% văn bản (trừ văn bản mật)", "3"),
                    ("Từ 90% đến dưới 100%", "1.5"),
                    ("Dưới 90%", "0"),
                    note="Còn văn bản gửi bản giấy song song.",
                ),
                direct(
                    "Bảo đảm an toàn thông tin mạng, ứng dụng nền tảng số dùng chung",
                    "4",
                    step="0.5",
                    note="Chưa phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin.",
                ),
                direct(
                    "Thực hiện Đề án 06 về dữ liệu dân cư, định danh và xác thực điện tử"
                    if local
                    else "Cung cấp, kết nối dữ liệu chuyên ngành với hệ thống của tỉnh",
                    "2",
                    step="0.5",
                    note="Dữ liệu chưa được cập nhật, làm sạch đầy đủ.",
                ),
            ),
        ),
        Branch(
            "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển "
            "kinh tế - xã hội",
            (
                survey(
                    "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan "
                    "hành chính",
                    "14",
                    CITIZENS,
                ),
                survey("Đánh giá của lãnh đạo về kết quả thực hiện nhiệm vụ CCHC", "10", LEADERS),
                survey("Đánh giá của công chức về công tác CCHC của cơ quan", "6", OFFICIALS),
                levels(
                    (
                        "Thực hiện tiêu chí xã nông thôn mới, nông thôn mới nâng cao"
                        if commune
                        else "Bảo đảm trật tự, văn minh đô thị"
                    )
                    if local
                    else "Hoàn thành chỉ tiêu phát triển kinh tế - xã hội của ngành",
                    ("Hoàn thành vượt chỉ tiêu", "6" if local else "4"),
                    ("Hoàn thành chỉ tiêu", "4" if local else "3"),
                    ("Không hoàn thành", "0"),
                    note="Báo cáo chưa có số liệu đối chiếu với chỉ tiêu giao.",
                ),
            ),
        ),
    )


@cache
def tree(block: str) -> tuple[NodeSpec, ...]:
    """Every node of the block's 2025 tree, parents first, maxima summed upwards."""
    return tuple(flatten(_tree(block), ""))


@cache
def leaves(block: str) -> dict[str, Leaf]:
    """The block's leaves by code: what the season's figures are generated from."""
    return {spec.code: spec.leaf for spec in tree(block) if spec.leaf is not None}


@dataclass(frozen=True)
class _Block:
    code: str


@dataclass(frozen=True)
class _Framework:
    year: int
    name: str
    source_decision: str
    illustrative: bool
    block: _Block


@dataclass(frozen=True)
class _Criterion:
    code: str
    title: str
    max_points: Decimal
    method: str
    step: Decimal | None
    scale: object
    evidence_required: bool
    na_allowed: bool
    guidance: str


def framework_sample(block: str) -> bytes:
    """The block's framework workbook, as staff would fill in the import template."""
    framework = _Framework(YEAR, NAMES[block], SOURCE_DECISION, True, _Block(block))
    criteria = [
        _Criterion(
            code=spec.code,
            title=spec.title,
            max_points=spec.max_points,
            method=spec.leaf.method if spec.leaf else "direct",
            step=spec.leaf.step if spec.leaf else None,
            scale=[dict(entry) for entry in spec.leaf.scale] if spec.leaf else [],
            evidence_required=spec.leaf.evidence_required if spec.leaf else False,
            na_allowed=spec.leaf.na_allowed if spec.leaf else False,
            guidance=spec.leaf.guidance if spec.leaf else "",
        )
        for spec in tree(block)
    ]
    return write_framework_workbook(framework=framework, criteria=criteria)


def framework_samples() -> dict[str, bytes]:
    return {sample_name(block): framework_sample(block) for block in NAMES}
