"""The seed story of DOMAIN.md as data: target indexes, campaigns, and the check that it holds.

The targets were chosen so that the district ranks of 2014 and 2015 are those of
the Sóc Trăng report (Quyết định 2491/QĐ-UBND, 17/10/2016) and 14 of the 22
departments improved, with Education and Transport improving most. The scores are
generated to land near these targets; `story_problems` then checks the story on
the indexes actually computed, so a change of the trees or the generator that
breaks the story is refused instead of silently loaded.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from demo.units import DEPARTMENTS, DISTRICTS, UNITS
from scoring.calculations import ranks

APPRAISED_YEARS = (2014, 2015)
OPEN_YEAR = 2016

# Target index (%) per unit: (2014, 2015).
TARGETS: dict[str, tuple[str, str]] = {
    # Departments: 14 up, 8 down; Education (+14.6) and Transport (+12.9) lead.
    "vp-ubnd": ("84.6", "87.9"),
    "so-nv": ("86.9", "89.4"),
    "so-tp": ("82.3", "84.1"),
    "so-khdt": ("80.7", "78.5"),
    "so-tc": ("83.5", "85.7"),
    "so-ct": ("74.2", "77.6"),
    "so-nnptnt": ("71.8", "69.4"),
    "so-gtvt": ("66.4", "79.3"),
    "so-xd": ("72.9", "75.3"),
    "so-tnmt": ("69.6", "66.5"),
    "so-tttt": ("81.8", "86.3"),
    "so-ldtbxh": ("76.1", "74.0"),
    "so-vhttdl": ("70.4", "73.4"),
    "so-khcn": ("78.4", "80.9"),
    "so-gddt": ("68.9", "83.5"),
    "so-yt": ("75.0", "78.0"),
    "so-ngv": ("77.3", "72.6"),
    "thanh-tra": ("79.6", "82.2"),
    "ban-dt": ("73.5", "71.1"),
    "ban-qlkcn": ("67.8", "70.5"),
    "dai-ptth": ("64.7", "62.3"),
    "ban-qlda": ("63.4", "61.2"),
    # Districts: the ranks of the report, about 1.5 points apart.
    "h-long-phu": ("86.4", "88.7"),
    "h-thanh-tri": ("84.1", "80.2"),
    "h-ke-sach": ("82.7", "78.9"),
    "h-chau-thanh": ("81.2", "73.6"),
    "h-cu-lao-dung": ("79.6", "83.1"),
    "h-my-tu": ("78.0", "81.5"),
    "tx-vinh-chau": ("76.3", "75.8"),
    "h-my-xuyen": ("74.8", "86.2"),
    "tp-soc-trang": ("72.9", "77.4"),
    "h-tran-de": ("70.5", "84.6"),
    "tx-nga-nam": ("66.8", "69.9"),
}

# DOMAIN.md, "The seed story": district ranks, first to last.
DISTRICT_RANKS: dict[int, tuple[str, ...]] = {
    2014: (
        "h-long-phu", "h-thanh-tri", "h-ke-sach", "h-chau-thanh", "h-cu-lao-dung", "h-my-tu",
        "tx-vinh-chau", "h-my-xuyen", "tp-soc-trang", "h-tran-de", "tx-nga-nam",
    ),
    2015: (
        "h-long-phu", "h-my-xuyen", "h-tran-de", "h-cu-lao-dung", "h-my-tu", "h-thanh-tri",
        "h-ke-sach", "tp-soc-trang", "tx-vinh-chau", "h-chau-thanh", "tx-nga-nam",
    ),
}  # fmt: skip
DEPARTMENTS_IMPROVED = 14
DEPARTMENTS_DECLINED = 8
TOP_IMPROVERS = frozenset({"so-gddt", "so-gtvt"})
# How far a generated index may land from its target, and the realistic range.
TOLERANCE = Decimal("0.5")
INDEX_RANGE = (Decimal("60"), Decimal("92"))

# Leaves a unit does not have, with the reason it gives (same in every year).
NO_LEGAL_DRAFTING = "Đơn vị sự nghiệp, không được giao tham mưu ban hành văn bản QPPL."
NO_PUBLIC_SERVICE_UNIT = "Không có đơn vị sự nghiệp công lập trực thuộc."
NO_JOINT_PROCEDURE = "Không có TTHC thực hiện theo cơ chế một cửa liên thông."
NOT_APPLICABLE: dict[str, dict[str, str]] = {
    "ban-dt": {"6.2": NO_PUBLIC_SERVICE_UNIT, "8.2": NO_JOINT_PROCEDURE},
    "thanh-tra": {"6.2": NO_PUBLIC_SERVICE_UNIT},
    "so-ngv": {"8.2": NO_JOINT_PROCEDURE},
    "dai-ptth": {"2.1.1": NO_LEGAL_DRAFTING, "2.1.2": NO_LEGAL_DRAFTING, "8.2": NO_JOINT_PROCEDURE},
    "ban-qlda": {
        "2.1.1": NO_LEGAL_DRAFTING,
        "2.1.2": NO_LEGAL_DRAFTING,
        "6.2": NO_PUBLIC_SERVICE_UNIT,
    },
}

# 2016 is open: these units (about a third) have started their self-assessment.
PARTLY_FILLED_2016 = (
    "vp-ubnd", "so-nv", "so-tp", "so-tc", "so-tttt", "so-khcn", "so-gddt",
    "h-long-phu", "h-my-xuyen", "h-tran-de", "tp-soc-trang",
)  # fmt: skip

SURVEY_ANSWERS = (
    ("A", "Tốt", Decimal("100")),
    ("B", "Khá", Decimal("60")),
    ("C", "Trung bình", Decimal("20")),
    ("D", "Kém", Decimal("0")),
)
SURVEY_WEIGHTS = {code: weight for code, _label, weight in SURVEY_ANSWERS}

TIERS = {
    DEPARTMENTS: (("Tốt", "80"), ("Khá", "65"), ("Trung bình", "50"), ("Yếu", "0")),
    DISTRICTS: (("Tốt", "85"), ("Khá", "70"), ("Trung bình", "50"), ("Yếu", "0")),
}
CAMPAIGN_BLOCKS = (DEPARTMENTS, DISTRICTS)

PROVINCE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class CampaignSpec(NamedTuple):
    year: int
    name: str
    status: str
    self_assessment_deadline: dt.datetime | None
    explanation_deadline: dt.datetime | None


def _at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 17, 0, tzinfo=PROVINCE_TZ)


CAMPAIGNS = (
    CampaignSpec(
        2014, "Chỉ số cải cách hành chính năm 2014", "finalised", _at(2015, 1, 15), _at(2015, 4, 30)
    ),
    CampaignSpec(
        2015, "Chỉ số cải cách hành chính năm 2015", "finalised", _at(2016, 1, 15), _at(2016, 8, 31)
    ),
    # No deadline: the demo keeps 2016 open for self-assessment whatever today's
    # date is, so a newcomer can always try the unit's side of the workflow.
    CampaignSpec(2016, "Chỉ số cải cách hành chính năm 2016", "self_assessment", None, None),
)


def target(unit_code: str, year: int) -> Decimal:
    return Decimal(TARGETS[unit_code][APPRAISED_YEARS.index(year)])


def story_problems(indexes: Mapping[tuple[int, str], Decimal]) -> list[str]:
    """Every way the indexes, keyed by (year, unit code), fail to tell the story."""
    problems: list[str] = []
    block_of = {unit.code: unit.block for unit in UNITS}
    for year in APPRAISED_YEARS:
        for block in CAMPAIGN_BLOCKS:
            values = [indexes[year, code] for code in block_of if block_of[code] == block]
            if len(set(values)) != len(values):
                problems.append(f"{year} {block}: two units have exactly the same index")
        for code in block_of:
            index = indexes[year, code]
            if abs(index - target(code, year)) > TOLERANCE:
                problems.append(f"{year} {code}: index {index:.3f} is far from its target")
            if not INDEX_RANGE[0] <= index <= INDEX_RANGE[1]:
                problems.append(f"{year} {code}: index {index:.3f} is out of the realistic range")

    for year, expected in DISTRICT_RANKS.items():
        rank_of = ranks({code: indexes[year, code] for code in expected})
        actual = tuple(sorted(expected, key=rank_of.__getitem__))
        if actual != expected:
            problems.append(f"{year}: district order {actual} is not the story's {expected}")

    departments = [code for code in block_of if block_of[code] == DEPARTMENTS]
    change = {code: indexes[2015, code] - indexes[2014, code] for code in departments}
    improved = sum(1 for delta in change.values() if delta > 0)
    declined = sum(1 for delta in change.values() if delta < 0)
    if (improved, declined) != (DEPARTMENTS_IMPROVED, DEPARTMENTS_DECLINED):
        problems.append(f"departments: {improved} improved and {declined} declined")
    leaders = set(sorted(change, key=change.__getitem__, reverse=True)[: len(TOP_IMPROVERS)])
    if leaders != TOP_IMPROVERS:
        problems.append(f"departments: the largest improvements are {sorted(leaders)}")
    return problems
