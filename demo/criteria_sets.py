"""Illustrative criteria trees for departments and districts, 2012–2020 structure.

The eight areas and the kinds of criteria follow Quyết định 1294/QĐ-BNV (2012);
the titles are realistic but the maxima and scales are invented, since the
official annexes could not be read (DOMAIN.md). Each tree has 100 points, 30 of
them from survey leaves spread through the areas. The district tree differs from
the department one where the work differs (communes to inspect, no leaf that may
be not applicable).

Besides what is stored on a Criterion, a leaf here carries what the score
generator needs: how often units lose points on it, the range of the figures
behind a ratio, and the note an appraiser writes when lowering it.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from demo.units import DEPARTMENTS, DISTRICTS

SOURCE_DECISION = (
    "Minh họa theo cấu trúc Quyết định số 1294/QĐ-BNV ngày 03/12/2012 của Bộ Nội vụ "
    "(bộ tiêu chí minh họa, không phải văn bản chính thức)"
)
FRAMEWORK_NAMES = {
    DEPARTMENTS: "Bộ tiêu chí Chỉ số CCHC sở, ban, ngành năm {year}",
    DISTRICTS: "Bộ tiêu chí Chỉ số CCHC UBND cấp huyện năm {year}",
}

# Respondent groups of the surveys (DOMAIN.md: who rates whom).
CITIZENS = "Người dân, tổ chức"
DISTRICT_LEADERS = "Lãnh đạo UBND cấp huyện"
DEPARTMENT_LEADERS = "Lãnh đạo sở, ban, ngành"
DEPUTIES = "Đại biểu HĐND tỉnh"

ON_TIME = ("Ban hành đúng thời hạn", "Ban hành chậm", "Không ban hành")


@dataclass(frozen=True)
class Leaf:
    title: str
    max_points: Decimal
    method: str
    step: Decimal | None = None
    scale: tuple[dict[str, str], ...] = ()
    evidence_required: bool = True
    na_allowed: bool = False
    guidance: str = ""
    # For the score generator only, never stored:
    respondent_group: str = ""
    loss_weight: int = 1  # how much more often than usual units lose points here
    figures: tuple[int, int] = (10, 40)  # range of a ratio's denominator
    note: str = ""  # the appraiser's note when lowering this leaf


@dataclass(frozen=True)
class Branch:
    title: str
    children: tuple["Branch | Leaf", ...]


@dataclass(frozen=True)
class NodeSpec:
    """A node with its code and maximum, as it becomes a Criterion row."""

    code: str
    title: str
    max_points: Decimal
    leaf: Leaf | None = field(default=None, compare=False)

    @property
    def parent_code(self) -> str | None:
        head, _dot, _tail = self.code.rpartition(".")
        return head or None


def direct(title: str, max_points: str, step: str = "0.25", **extra) -> Leaf:
    return Leaf(title, Decimal(max_points), "direct", step=Decimal(step), **extra)


def levels(title: str, *pairs: tuple[str, str], **extra) -> Leaf:
    """A leaf scored by choosing one level: pairs of (label, points), best first."""
    scale = tuple({"label": label, "points": points} for label, points in pairs)
    top = max(Decimal(points) for _label, points in pairs)
    return Leaf(title, top, "levels", scale=scale, **extra)


def ratio(title: str, *pairs: tuple[str, str], **extra) -> Leaf:
    """A leaf scored by a percentage: pairs of (minimum percent, points), highest first."""
    scale = tuple({"min_percent": percent, "points": points} for percent, points in pairs)
    top = max(Decimal(points) for _percent, points in pairs)
    return Leaf(title, top, "ratio", scale=scale, **extra)


def survey(title: str, max_points: str, group: str) -> Leaf:
    return Leaf(
        title,
        Decimal(max_points),
        "survey",
        evidence_required=False,
        guidance=f"Điểm quy đổi từ kết quả điều tra xã hội học. Đối tượng khảo sát: {group}.",
        respondent_group=group,
    )


def on_time(title: str, top: str, **extra) -> Leaf:
    half = str(Decimal(top) / 2)
    return levels(title, (ON_TIME[0], top), (ON_TIME[1], half), (ON_TIME[2], "0"), **extra)


def _tree(block: str) -> tuple[Branch, ...]:
    district = block == DISTRICTS
    # Who rates whom (DOMAIN.md): district leaders rate departments; provincial
    # deputies and department leaders rate districts; citizens rate both.
    peers = DEPARTMENT_LEADERS if district else DISTRICT_LEADERS
    overseers = DEPUTIES if district else DISTRICT_LEADERS
    subordinates = "cơ quan chuyên môn và UBND cấp xã" if district else "phòng, đơn vị trực thuộc"
    procedures = (250, 320) if district else (40, 180)  # procedures a unit handles
    return (
        Branch(
            "Công tác chỉ đạo, điều hành CCHC",
            (
                Branch(
                    "Kế hoạch CCHC năm",
                    (
                        on_time(
                            "Ban hành kế hoạch CCHC năm đúng thời hạn",
                            "1.5",
                            note="Không có tài liệu kiểm chứng việc ban hành kế hoạch đúng hạn.",
                        ),
                        ratio(
                            "Mức độ hoàn thành kế hoạch CCHC năm",
                            ("100", "2"),
                            ("80", "1.5"),
                            ("60", "1"),
                            ("0", "0"),
                            guidance="Tỷ lệ nhiệm vụ hoàn thành trên tổng số nhiệm vụ "
                            "của kế hoạch.",
                            figures=(12, 30),
                            note="Báo cáo năm chưa thể hiện kết quả của một số nhiệm vụ "
                            "trong kế hoạch.",
                        ),
                    ),
                ),
                levels(
                    "Thực hiện chế độ báo cáo CCHC định kỳ (đủ số lượng, đúng thời hạn)",
                    ("Đầy đủ, đúng thời hạn", "2"),
                    ("Đầy đủ nhưng có báo cáo chậm", "1"),
                    ("Không đầy đủ", "0"),
                    note="Báo cáo CCHC quý III gửi chậm so với thời hạn quy định.",
                ),
                ratio(
                    f"Kiểm tra công tác CCHC đối với các {subordinates}",
                    ("30", "2"),
                    ("20", "1.5"),
                    ("10", "0.5"),
                    ("0", "0"),
                    guidance=f"Tỷ lệ {subordinates} được kiểm tra trong năm.",
                    figures=(14, 32) if district else (4, 15),
                    note="Chưa có kết luận kiểm tra gửi kèm làm tài liệu kiểm chứng.",
                ),
                levels(
                    "Sáng kiến, giải pháp mới trong CCHC được cấp có thẩm quyền công nhận",
                    ("Có sáng kiến được công nhận", "2"),
                    ("Có đề xuất nhưng chưa được công nhận", "1"),
                    ("Không có", "0"),
                    loss_weight=3,
                    note="Giải pháp đề xuất chưa được Hội đồng sáng kiến tỉnh công nhận.",
                ),
                survey(
                    "Đánh giá của "
                    + ("đại biểu HĐND tỉnh" if district else "lãnh đạo UBND cấp huyện")
                    + " về công tác chỉ đạo, điều hành CCHC",
                    "3",
                    overseers,
                ),
            ),
        ),
        Branch(
            "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật"
            + (" tại địa phương" if district else ""),
            (
                Branch(
                    "Xây dựng văn bản QPPL"
                    + (" của HĐND, UBND cấp huyện" if district else " thuộc lĩnh vực quản lý"),
                    (
                        ratio(
                            "Tỷ lệ văn bản QPPL được ban hành đúng tiến độ theo chương trình",
                            ("100", "1.5"),
                            ("80", "1"),
                            ("50", "0.5"),
                            ("0", "0"),
                            # A unit that drafts no legal documents (the radio and
                            # television station, a project board) has no such leaf.
                            na_allowed=not district,
                            figures=(2, 9),
                            note="Một số văn bản đăng ký trong chương trình chưa được ban hành.",
                        ),
                        levels(
                            "Thực hiện đúng quy trình xây dựng, lấy ý kiến, thẩm định văn bản QPPL",
                            ("Đúng quy trình", "1"),
                            ("Chưa đúng quy trình", "0"),
                            na_allowed=not district,
                            note="Dự thảo văn bản chưa gửi thẩm định đúng quy định.",
                        ),
                    ),
                ),
                direct(
                    "Rà soát, hệ thống hóa và xử lý kết quả rà soát văn bản QPPL",
                    "2",
                    note="Chưa kiến nghị xử lý các văn bản hết hiệu lực sau rà soát.",
                ),
                direct(
                    "Kiểm tra việc thi hành văn bản QPPL tại UBND cấp xã"
                    if district
                    else "Theo dõi, kiểm tra việc thi hành văn bản QPPL thuộc lĩnh vực quản lý",
                    "2",
                    note="Kế hoạch kiểm tra có, nhưng chưa có báo cáo kết quả kiểm tra.",
                ),
                survey(
                    "Đánh giá về tính kịp thời, khả thi của văn bản QPPL"
                    + (" do UBND cấp huyện ban hành" if district else " do sở tham mưu ban hành"),
                    "2",
                    peers,
                ),
            ),
        ),
        Branch(
            "Cải cách thủ tục hành chính",
            (
                direct(
                    "Rà soát, đánh giá và kiến nghị phương án đơn giản hóa TTHC",
                    "3",
                    step="0.5",
                    loss_weight=2,
                    note="Chưa có phương án đơn giản hóa được cấp có thẩm quyền chấp thuận.",
                ),
                Branch(
                    "Công bố, công khai TTHC",
                    (
                        levels(
                            "Cập nhật TTHC đã được công bố tại Bộ phận một cửa kịp thời"
                            if district
                            else "Tham mưu công bố TTHC kịp thời, đầy đủ theo quy định",
                            ("Kịp thời, đầy đủ", "1.5"),
                            ("Chậm hoặc chưa đầy đủ", "0.75"),
                            ("Không thực hiện", "0"),
                        ),
                        ratio(
                            "Tỷ lệ TTHC được công khai đầy đủ, đúng quy định trên Cổng thông tin "
                            "điện tử và tại nơi tiếp nhận hồ sơ",
                            ("100", "3"),
                            ("90", "2"),
                            ("70", "1"),
                            ("0", "0"),
                            figures=procedures,
                            note="Chưa công khai đầy đủ TTHC trên Cổng thông tin điện tử của tỉnh.",
                        ),
                    ),
                ),
                ratio(
                    "Tỷ lệ phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính "
                    "được xử lý đúng hạn",
                    ("100", "1.5"),
                    ("90", "1"),
                    ("70", "0.5"),
                    ("0", "0"),
                    figures=(3, 25),
                    note="Có phản ánh, kiến nghị xử lý quá hạn theo sổ theo dõi.",
                ),
                survey(
                    "Mức độ hài lòng của người dân, tổ chức về việc công khai TTHC", "3", CITIZENS
                ),
                survey(
                    "Mức độ hài lòng của người dân, tổ chức về quy định TTHC và thời gian "
                    "giải quyết",
                    "3",
                    CITIZENS,
                ),
            ),
        ),
        Branch(
            "Cải cách tổ chức bộ máy hành chính nhà nước",
            (
                levels(
                    "Ban hành quy định chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức của các "
                    + ("cơ quan chuyên môn thuộc UBND cấp huyện" if district else subordinates),
                    ("Đầy đủ, kịp thời", "1.5"),
                    ("Chưa đầy đủ", "0.75"),
                    ("Chưa ban hành", "0"),
                    note="Quy định chức năng, nhiệm vụ của một số đơn vị chưa được sửa đổi "
                    "kịp thời.",
                ),
                levels(
                    "Thực hiện quy định về số lượng cấp phó, thành lập phòng và tương đương",
                    ("Đúng quy định", "1.5"),
                    ("Chưa đúng quy định", "0"),
                ),
                direct(
                    "Thực hiện và kiểm tra việc thực hiện nhiệm vụ đã phân cấp, ủy quyền"
                    + (" cho UBND cấp xã" if district else " cho UBND cấp huyện"),
                    "2.5",
                    step="0.5",
                    note="Không có báo cáo kết quả kiểm tra việc thực hiện phân cấp.",
                ),
                levels(
                    "Thực hiện tinh giản biên chế theo lộ trình",
                    ("Đúng lộ trình", "1"),
                    ("Chậm so với lộ trình", "0.5"),
                    ("Không thực hiện", "0"),
                ),
                survey("Đánh giá về tình hình tổ chức bộ máy, phân cấp quản lý", "3", peers),
            ),
        ),
        Branch(
            "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
            (
                levels(
                    "Xác định vị trí việc làm và cơ cấu công chức theo ngạch",
                    ("Hoàn thành, được phê duyệt", "1.5"),
                    ("Đang thực hiện", "0.75"),
                    ("Chưa thực hiện", "0"),
                    note="Đề án vị trí việc làm chưa được phê duyệt.",
                ),
                levels(
                    "Tuyển dụng, bổ nhiệm và quản lý biên chế đúng quy định",
                    ("Đúng quy định", "2"),
                    ("Có sai sót về quy trình", "1"),
                    ("Có vi phạm", "0"),
                ),
                Branch(
                    "Đào tạo, bồi dưỡng",
                    (
                        ratio(
                            "Tỷ lệ công chức được đào tạo, bồi dưỡng theo kế hoạch",
                            ("100", "1.5"),
                            ("80", "1"),
                            ("60", "0.5"),
                            ("0", "0"),
                            figures=(120, 260) if district else (20, 150),
                        ),
                        ratio(
                            "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn theo quy định"
                            if district
                            else "Tỷ lệ công chức lãnh đạo cấp phòng đạt chuẩn theo quy định",
                            ("100", "1.5"),
                            ("90", "0.75"),
                            ("0", "0"),
                            figures=(180, 420) if district else (8, 30),
                            loss_weight=2,
                            note="Một số công chức chưa có chứng chỉ quản lý nhà nước "
                            "theo quy định.",
                        ),
                    ),
                ),
                direct(
                    "Thực hiện quy tắc ứng xử, văn hóa công sở và kỷ luật, kỷ cương hành chính",
                    "3.5",
                    evidence_required=False,
                    note="Có công chức bị nhắc nhở vi phạm giờ giấc làm việc trong năm.",
                ),
                survey(
                    "Đánh giá của người dân, tổ chức về thái độ, tinh thần trách nhiệm và năng "
                    "lực của công chức",
                    "4",
                    CITIZENS,
                ),
            ),
        ),
        Branch(
            "Đổi mới cơ chế quản lý tài chính đối với cơ quan hành chính và đơn vị sự "
            "nghiệp công lập",
            (
                levels(
                    "Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về biên chế và kinh phí "
                    "quản lý hành chính",
                    ("Thực hiện đầy đủ", "2"),
                    ("Thực hiện chưa đầy đủ", "1"),
                    ("Chưa thực hiện", "0"),
                ),
                ratio(
                    "Tỷ lệ đơn vị sự nghiệp công lập trực thuộc được giao quyền tự chủ",
                    ("100", "2"),
                    ("80", "1.5"),
                    ("50", "1"),
                    ("0", "0"),
                    # Some departments have no public service unit at all.
                    na_allowed=not district,
                    figures=(60, 140) if district else (2, 12),
                    note="Còn đơn vị sự nghiệp chưa được phê duyệt phương án tự chủ.",
                ),
                levels(
                    "Xây dựng và thực hiện quy chế chi tiêu nội bộ, quy chế quản lý tài sản công",
                    ("Ban hành và thực hiện đúng quy định", "1.5"),
                    ("Ban hành chậm hoặc chưa đầy đủ", "0.75"),
                    ("Chưa ban hành", "0"),
                    note="Quy chế chi tiêu nội bộ chưa được sửa đổi theo quy định mới.",
                ),
                direct("Công khai tài chính, ngân sách theo quy định", "1.5"),
                survey(
                    "Đánh giá về tính công khai, minh bạch trong quản lý tài chính công", "3", peers
                ),
            ),
        ),
        Branch(
            "Hiện đại hóa hành chính",
            (
                Branch(
                    "Ứng dụng công nghệ thông tin",
                    (
                        ratio(
                            "Tỷ lệ văn bản trao đổi dưới dạng điện tử",
                            ("80", "3.5"),
                            ("60", "2.5"),
                            ("40", "1.5"),
                            ("20", "0.5"),
                            ("0", "0"),
                            figures=(3000, 9000) if district else (1500, 6000),
                            loss_weight=3,
                            note="Số liệu văn bản điện tử không khớp với thống kê của phần mềm "
                            "quản lý văn bản.",
                        ),
                        levels(
                            "Sử dụng phần mềm quản lý văn bản thống nhất giữa UBND cấp huyện và "
                            "UBND cấp xã"
                            if district
                            else "Sử dụng phần mềm quản lý văn bản và điều hành thống nhất trong "
                            "toàn cơ quan",
                            ("Sử dụng thống nhất", "2"),
                            ("Sử dụng một phần", "1"),
                            ("Chưa sử dụng", "0"),
                            loss_weight=2,
                            note="Phần mềm mới triển khai tại văn phòng, chưa dùng thống nhất.",
                        ),
                    ),
                ),
                Branch(
                    "Cung cấp dịch vụ công trực tuyến",
                    (
                        ratio(
                            "Cung cấp dịch vụ công trực tuyến mức độ 3, 4",
                            ("30", "3"),
                            ("20", "2"),
                            ("10", "1"),
                            ("5", "0.5"),
                            ("0", "0"),
                            guidance="Tỷ lệ TTHC có dịch vụ công trực tuyến mức độ 3, 4 trên "
                            "tổng số TTHC thuộc thẩm quyền giải quyết.",
                            figures=procedures,
                            loss_weight=4,
                            note="Số dịch vụ công trực tuyến mức độ 3 thực tế thấp hơn số đơn "
                            "vị tự chấm.",
                        ),
                        ratio(
                            "Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến mức độ 3, 4",
                            ("20", "1"),
                            ("10", "0.5"),
                            ("0", "0"),
                            figures=(1500, 6000) if district else (200, 3000),
                            loss_weight=3,
                            note="Chưa có hồ sơ trực tuyến phát sinh trên Cổng dịch vụ công.",
                        ),
                    ),
                ),
                levels(
                    "Áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2008",
                    ("Áp dụng, duy trì và cải tiến đúng quy định", "2"),
                    ("Áp dụng nhưng chưa duy trì đúng quy định", "1"),
                    ("Chưa áp dụng", "0"),
                    note="Chưa công bố lại hệ thống quản lý chất lượng sau khi TTHC thay đổi.",
                ),
                survey(
                    "Đánh giá về hiệu quả ứng dụng CNTT và cung cấp dịch vụ công trực tuyến",
                    "4",
                    peers,
                ),
            ),
        ),
        Branch(
            "Thực hiện cơ chế một cửa, một cửa liên thông",
            (
                levels(
                    "Bộ phận tiếp nhận và trả kết quả đáp ứng yêu cầu về cơ sở vật chất, "
                    "trang thiết bị",
                    ("Đạt yêu cầu", "3"),
                    ("Đạt một phần", "1.5"),
                    ("Không đạt", "0"),
                    note="Diện tích Bộ phận tiếp nhận và trả kết quả chưa đạt theo quy định.",
                ),
                ratio(
                    "Tỷ lệ UBND cấp xã thực hiện cơ chế một cửa liên thông",
                    ("100", "1.5"),
                    ("80", "0.75"),
                    ("0", "0"),
                    figures=(8, 20),
                )
                if district
                else levels(
                    "Thực hiện cơ chế một cửa liên thông",
                    ("Triển khai đầy đủ các TTHC liên thông", "1.5"),
                    ("Triển khai một phần", "0.75"),
                    ("Chưa triển khai", "0"),
                    # Only departments with inter-agency procedures have this leaf.
                    na_allowed=True,
                    note="Một số TTHC liên thông chưa được triển khai tại Bộ phận một cửa.",
                ),
                ratio(
                    "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
                    ("100", "4"),
                    ("95", "3"),
                    ("90", "2"),
                    ("80", "1"),
                    ("0", "0"),
                    figures=(3000, 20000) if district else (400, 5000),
                    loss_weight=2,
                    note="Số liệu hồ sơ trễ hạn trên phần mềm một cửa cao hơn số liệu báo cáo.",
                ),
                direct(
                    "Niêm yết công khai quy trình, thời hạn, phí và lệ phí tại Bộ phận một cửa",
                    "1.5",
                    step="0.5",
                    # Checked on site by the appraisers rather than from documents.
                    evidence_required=False,
                ),
                survey(
                    "Mức độ hài lòng của người dân, tổ chức về thời gian, kết quả giải quyết TTHC "
                    "và thái độ phục vụ tại Bộ phận một cửa",
                    "5",
                    CITIZENS,
                ),
            ),
        ),
    )


def flatten(nodes: tuple["Branch | Leaf", ...], prefix: str) -> list[NodeSpec]:
    """Numbered nodes, parents before children, each branch's maximum the sum of its children."""
    specs: list[NodeSpec] = []
    for position, node in enumerate(nodes, start=1):
        code = f"{prefix}{position}"
        if isinstance(node, Leaf):
            specs.append(NodeSpec(code, node.title, node.max_points, node))
            continue
        children = flatten(node.children, f"{code}.")
        direct_children = [c for c in children if c.parent_code == code]
        total = sum((c.max_points for c in direct_children), Decimal("0"))
        specs.append(NodeSpec(code, node.title, total))
        specs.extend(children)
    return specs


@cache
def demo_tree(block: str) -> tuple[NodeSpec, ...]:
    """Every node of the block's tree, parents before children, maxima summed upwards."""
    return tuple(flatten(_tree(block), ""))


@cache
def demo_leaves(block: str) -> tuple[NodeSpec, ...]:
    return tuple(spec for spec in demo_tree(block) if spec.leaf is not None)
