"""Lam Giang, the illustrative post-2025 province of the second demo and of docs/samples.

Tỉnh Lam Giang does not exist: its names are made up, in the shape of a province after
the reorganisation of 1 July 2025 (DOMAIN.md): 14 departments, 40 wards, 59 communes and
one special zone (đặc khu), no district level. Its lineage reaches back through a few
pre-2025 departments, districts and communes: departments merged in 2025 (Nông nghiệp
và Môi trường from two, Tài chính taking in Kế hoạch và Đầu tư...), a renamed one (Dân
tộc và Tôn giáo), wards and communes merged from the old ones, and the special zone
made of a whole island district with its town and commune.

It shares the demo database with the Sóc Trăng story, which stays as it is: every code
of Lam Giang starts with "lg-" and its blocks are its own, so importing it touches no
Sóc Trăng row, and its units workbook has no Tỉnh sheet (the portal's province stays
the one it has). The files are written by the portal's own writers (`manage.py
write_samples`); tests check that the committed samples are what this code writes.
"""

from pathlib import Path

from scoring.exchange.accounts_xlsx import write_accounts_file
from scoring.exchange.units_xlsx import write_units_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "samples"
UNITS_SAMPLE = "units-sample.xlsx"
ACCOUNTS_SAMPLE = "accounts-sample.xlsx"

PROVINCE_NAME = "Lam Giang"
PREFIX = "lg-"  # of every code: Lam Giang lives beside Sóc Trăng in the demo database
DEPARTMENTS_BLOCK, WARDS_BLOCK, COMMUNES_BLOCK, DISTRICTS_BLOCK = (
    f"{PREFIX}so",
    f"{PREFIX}phuong",
    f"{PREFIX}xa",
    f"{PREFIX}huyen",
)
# Placed after Sóc Trăng's three blocks; named with the province, since both show in lists.
BLOCKS = (
    (DEPARTMENTS_BLOCK, "Sở, ban, ngành (Lam Giang)", "Sở, ban, ngành", 5),
    (WARDS_BLOCK, "UBND phường (Lam Giang)", "Phường", 6),
    (COMMUNES_BLOCK, "UBND xã, đặc khu (Lam Giang)", "Xã, đặc khu", 7),
    # The district level ended on 1 July 2025; its units stay for the years before.
    (DISTRICTS_BLOCK, "UBND cấp huyện (Lam Giang, đến năm 2024)", "Cấp huyện", 8),
)
ASSESSED_BLOCKS = (DEPARTMENTS_BLOCK, WARDS_BLOCK, COMMUNES_BLOCK)
FIRST_YEAR = 2025  # the first index year of the new units
LAST_OLD_YEAR = 2024

# (code, name, short name, predecessors) of the departments from 2025. Those without
# predecessors carry on as they were; a department that took another in keeps its code.
DEPARTMENTS = (
    ("vp-ubnd", "Văn phòng UBND tỉnh", "VP UBND tỉnh", ()),
    ("so-nv", "Sở Nội vụ", "Sở NV", ("so-ldtbxh",)),
    ("so-tp", "Sở Tư pháp", "Sở TP", ()),
    ("so-tc", "Sở Tài chính", "Sở TC", ("so-khdt",)),
    ("so-ct", "Sở Công Thương", "Sở CT", ()),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", ("so-nnptnt", "so-tnmt")),
    ("so-xd", "Sở Xây dựng", "Sở XD", ("so-gtvt",)),
    ("so-khcn", "Sở Khoa học và Công nghệ", "Sở KH&CN", ("so-tttt",)),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", ()),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", ()),
    ("so-yt", "Sở Y tế", "Sở YT", ()),
    ("thanh-tra", "Thanh tra tỉnh", "Thanh tra tỉnh", ()),
    ("so-dttg", "Sở Dân tộc và Tôn giáo", "Sở DT&TG", ("ban-dt",)),
    ("so-ngv", "Sở Ngoại vụ", "Sở NgV", ()),
)
# Departments that ended in 2024, merged into or renamed as the ones above.
OLD_DEPARTMENTS = (
    ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    ("so-khdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("so-tnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("so-gtvt", "Sở Giao thông vận tải", "Sở GTVT"),
    ("so-tttt", "Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("ban-dt", "Ban Dân tộc", "Ban Dân tộc"),
)
# (code, name, short name, first year) of the districts, all ended in 2024.
DISTRICTS = (
    ("tp-lam-giang", "Thành phố Lam Giang", "TP Lam Giang", 2008),
    ("tx-ben-ngoc", "Thị xã Bến Ngọc", "TX Bến Ngọc", 2012),
    ("h-tan-lap", "Huyện Tân Lập", "Tân Lập", None),
    ("h-phu-my", "Huyện Phú Mỹ", "Phú Mỹ", None),
    ("h-hon-ngoc", "Huyện Hòn Ngọc", "Hòn Ngọc", 2005),
)
# (code, name, block, district) of the wards, towns and communes that ended in 2024.
OLD_COMMUNES = (
    ("tplg-p1", "Phường 1", "phuong", "tp-lam-giang"),
    ("tplg-p2", "Phường 2", "phuong", "tp-lam-giang"),
    ("tplg-p3", "Phường 3", "phuong", "tp-lam-giang"),
    ("tplg-p4", "Phường 4", "phuong", "tp-lam-giang"),
    ("tplg-an-hoa", "Xã An Hòa", "xa", "tp-lam-giang"),
    ("txbn-ben-ngoc", "Phường Bến Ngọc", "phuong", "tx-ben-ngoc"),
    ("txbn-ngoc-thuy", "Phường Ngọc Thủy", "phuong", "tx-ben-ngoc"),
    ("txbn-thuy-an", "Xã Thủy An", "xa", "tx-ben-ngoc"),
    ("htl-tt-tan-lap", "Thị trấn Tân Lập", "xa", "h-tan-lap"),
    ("htl-tan-hoa", "Xã Tân Hòa", "xa", "h-tan-lap"),
    ("htl-tan-loc", "Xã Tân Lộc", "xa", "h-tan-lap"),
    ("hpm-phu-my", "Xã Phú Mỹ", "xa", "h-phu-my"),
    ("hpm-phu-thanh", "Xã Phú Thạnh", "xa", "h-phu-my"),
    ("hpm-phu-an", "Xã Phú An", "xa", "h-phu-my"),
    ("hhn-tt-hon-ngoc", "Thị trấn Hòn Ngọc", "xa", "h-hon-ngoc"),
    ("hhn-hon-tre", "Xã Hòn Tre", "xa", "h-hon-ngoc"),
)
# Wards from 2025: those with lineage first, then the others.
WARDS_WITH_LINEAGE = (
    ("lam-giang", "Lam Giang", ("tplg-p1", "tplg-p2")),
    ("song-lam", "Sông Lam", ("tplg-p3", "tplg-p4", "tplg-an-hoa")),
    ("ben-ngoc", "Bến Ngọc", ("txbn-ben-ngoc", "txbn-ngoc-thuy")),
    ("tan-lap", "Tân Lập", ("htl-tt-tan-lap", "htl-tan-hoa")),
)
WARD_NAMES = (
    "An Khánh", "An Lạc", "Bình Minh", "Cẩm Thạch", "Đông Hải", "Đồng Tâm", "Hải Thành",
    "Hiệp Hòa", "Hòa Bình", "Hòa Lạc", "Hồng Hà", "Hưng Phú", "Kim Long", "Lê Lợi",
    "Long Thạnh", "Minh Khai", "Mỹ Thạnh", "Nam Sơn", "Nghĩa Thành", "Ngọc Lâm",
    "Phú Lợi", "Phước Hòa", "Quang Trung", "Tân An", "Tây Sơn", "Thanh Bình",
    "Thành Công", "Thạnh Mỹ", "Thiên Trường", "Thống Nhất", "Trung Sơn", "Trường Thịnh",
    "Văn Giang", "Vĩnh Hưng", "Xuân Hòa", "Yên Thịnh",
)  # fmt: skip
COMMUNES_WITH_LINEAGE = (
    ("thuy-an", "Thủy An", ("txbn-thuy-an",)),
    ("tan-loc", "Tân Lộc", ("htl-tan-loc",)),
    ("phu-my", "Phú Mỹ", ("hpm-phu-my", "hpm-phu-thanh")),
    ("phu-an", "Phú An", ("hpm-phu-an",)),
)
COMMUNE_NAMES = (
    "An Bình", "An Điền", "An Phú", "An Thạnh", "Bình An", "Bình Hòa", "Bình Thành",
    "Cát Tiên", "Đại Đồng", "Đông Phước", "Đồng Xuân", "Giang Sơn", "Hòa Hiệp", "Hòa Thắng",
    "Hưng Lợi", "Khánh Hòa", "Lạc Sơn", "Long Hưng", "Long Phước", "Minh Đức", "Minh Hòa",
    "Mỹ Hòa", "Mỹ Lộc", "Nam Phước", "Nghĩa Hưng", "Ngọc Sơn", "Nhơn Phú", "Phong Điền",
    "Phú Hòa", "Phú Thịnh", "Phước Long", "Quảng Lợi", "Sơn Hà", "Sơn Thủy", "Tân Bình",
    "Tân Hiệp", "Tân Phước", "Tân Thạnh", "Thạch Bàn", "Thanh Sơn", "Thành Lợi",
    "Thuận Hòa", "Tiến Thành", "Trà Tân", "Trung Hòa", "Trường Xuân", "Tuy Phước",
    "Vân Hồ", "Vĩnh Lợi", "Vĩnh Phú", "Xuân Lộc", "Xuân Sơn", "Yên Hòa", "Yên Lạc",
    "Hòa Phú",
)  # fmt: skip
SPECIAL_ZONE = ("dk-hon-ngoc", "Đặc khu Hòn Ngọc", "ĐK Hòn Ngọc",
                ("h-hon-ngoc", "hhn-tt-hon-ngoc", "hhn-hon-tre"))  # fmt: skip

FOLD = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)


def slug(name: str) -> str:
    return "-".join(name.lower().translate(FOLD).split())


def unit_rows() -> list[tuple]:
    """Every row of the Đơn vị sheet, in its columns' order."""
    rows = []

    def add(code, name, short, block, *, parent="", first=None, last=None, predecessors=()):
        block = PREFIX + block
        block_name = next(b[1] for b in BLOCKS if b[0] == block)
        code, parent = PREFIX + code, PREFIX + parent if parent else ""
        lineage = ", ".join(PREFIX + predecessor for predecessor in predecessors)
        rows.append((code, name, short, block, block_name, parent, first, last, lineage))

    for code, name, short, predecessors in DEPARTMENTS:
        first = FIRST_YEAR if code in ("so-nnmt", "so-dttg") else None
        add(code, name, short, "so", first=first, predecessors=predecessors)
    for code, name, short in OLD_DEPARTMENTS:
        add(code, name, short, "so", last=LAST_OLD_YEAR)
    for code, name, short, first in DISTRICTS:
        add(code, name, short, "huyen", first=first, last=LAST_OLD_YEAR)
    for code, name, block, district in OLD_COMMUNES:
        add(code, name, "", block, parent=district, last=LAST_OLD_YEAR)
    wards = [*WARDS_WITH_LINEAGE, *((slug(name), name, ()) for name in WARD_NAMES)]
    for code, name, predecessors in wards:
        add(f"p-{code}", f"Phường {name}", f"P. {name}", "phuong", first=FIRST_YEAR,
            predecessors=predecessors)  # fmt: skip
    communes = [*COMMUNES_WITH_LINEAGE, *((slug(name), name, ()) for name in COMMUNE_NAMES)]
    for code, name, predecessors in communes:
        add(f"x-{code}", f"Xã {name}", f"X. {name}", "xa", first=FIRST_YEAR,
            predecessors=predecessors)  # fmt: skip
    code, name, short, predecessors = SPECIAL_ZONE
    add(code, name, short, "xa", first=FIRST_YEAR, predecessors=predecessors)
    return rows


def current_units() -> list[tuple]:
    """The units assessed from 2025: (code, name)."""
    return [(row[0], row[1]) for row in unit_rows() if row[7] is None]


FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Thu", "Hữu", "Kim")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hải", "Hạnh", "Hùng", "Khoa", "Lan",
         "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn",
         "Vy", "Yến")  # fmt: skip
DOMAIN = "lamgiang.example"  # a reserved name (RFC 2606): no invitation reaches anyone


def person(n: int) -> tuple[str, str]:
    """The n-th illustrative officer: (full name, the username's stem)."""
    family, middle = FAMILY[n % len(FAMILY)], MIDDLE[(n // 3) % len(MIDDLE)]
    given = GIVEN[(n * 7) % len(GIVEN)]
    stem = f"{given}.{family[0]}{middle[0]}".lower().translate(FOLD)
    return f"{family} {middle} {given}", stem


def account_rows() -> list[tuple]:
    """Every row of the Tài khoản sheet: a head and an editor per unit from 2025 and three
    appraisers (one of them also an editor of Sở Nội vụ). Interior Department staff are
    left out: granting that role takes a superuser, and the demo's staff account serves."""
    rows, n = [], 0

    def add(unit_code, unit_name, role, group=""):
        nonlocal n
        full_name, stem = person(n)
        username = f"{stem}.{unit_code.removeprefix(PREFIX) or 'snv'}"
        rows.append(
            (username, full_name, f"{username}@{DOMAIN}", unit_code, unit_name, role, group)
        )
        n += 1

    for code, name in current_units():
        add(code, name, "Thủ trưởng")
        add(code, name, "Cán bộ nhập liệu", "Thẩm định" if code == f"{PREFIX}so-nv" else "")
    for _ in range(2):
        add("", "", "", "Thẩm định")
    return rows


def units_sample() -> bytes:
    """No Tỉnh sheet: imported into the demo, it must not rename the portal's province."""
    return write_units_workbook(province=None, blocks=BLOCKS, units=unit_rows())


def accounts_sample() -> bytes:
    return write_accounts_file(account_rows())


def province_samples() -> dict[str, bytes]:
    """The units and accounts workbooks by file name (their frameworks: lam_giang_criteria)."""
    return {UNITS_SAMPLE: units_sample(), ACCOUNTS_SAMPLE: accounts_sample()}
