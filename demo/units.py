"""The demo province, its blocks and its units (the 2014–2016 map of Sóc Trăng)."""

from typing import NamedTuple

PROVINCE_NAME = "Sóc Trăng"
ISSUING_BODY = "Ủy ban nhân dân tỉnh Sóc Trăng"


class BlockSpec(NamedTuple):
    code: str
    name: str
    short_name: str
    position: int


class UnitSpec(NamedTuple):
    code: str
    name: str
    short_name: str
    block: str
    active_from: int | None = None


DEPARTMENTS = "so"
DISTRICTS = "huyen"
COMMUNES = "xa"

BLOCKS = (
    BlockSpec(DEPARTMENTS, "Sở, ban, ngành", "Sở, ban, ngành", 1),
    BlockSpec(DISTRICTS, "UBND cấp huyện", "Cấp huyện", 2),
    # Communes are a block of the province, but the demo assesses none of them.
    BlockSpec(COMMUNES, "UBND cấp xã", "Cấp xã", 3),
)

# The departments' founding years are not part of the story: left open.
UNITS = (
    UnitSpec("vp-ubnd", "Văn phòng UBND tỉnh", "VP UBND tỉnh", DEPARTMENTS),
    UnitSpec("so-nv", "Sở Nội vụ", "Sở NV", DEPARTMENTS),
    UnitSpec("so-tp", "Sở Tư pháp", "Sở TP", DEPARTMENTS),
    UnitSpec("so-khdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", DEPARTMENTS),
    UnitSpec("so-tc", "Sở Tài chính", "Sở TC", DEPARTMENTS),
    UnitSpec("so-ct", "Sở Công Thương", "Sở CT", DEPARTMENTS),
    UnitSpec("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", DEPARTMENTS),
    UnitSpec("so-gtvt", "Sở Giao thông vận tải", "Sở GTVT", DEPARTMENTS),
    UnitSpec("so-xd", "Sở Xây dựng", "Sở XD", DEPARTMENTS),
    UnitSpec("so-tnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT", DEPARTMENTS),
    UnitSpec("so-tttt", "Sở Thông tin và Truyền thông", "Sở TT&TT", DEPARTMENTS),
    UnitSpec("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", DEPARTMENTS),
    UnitSpec("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", DEPARTMENTS),
    UnitSpec("so-khcn", "Sở Khoa học và Công nghệ", "Sở KH&CN", DEPARTMENTS),
    UnitSpec("so-gddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", DEPARTMENTS),
    UnitSpec("so-yt", "Sở Y tế", "Sở YT", DEPARTMENTS),
    UnitSpec("so-ngv", "Sở Ngoại vụ", "Sở NgV", DEPARTMENTS),
    UnitSpec("thanh-tra", "Thanh tra tỉnh", "Thanh tra tỉnh", DEPARTMENTS),
    UnitSpec("ban-dt", "Ban Dân tộc", "Ban Dân tộc", DEPARTMENTS),
    UnitSpec("ban-qlkcn", "Ban Quản lý các Khu công nghiệp", "BQL các KCN", DEPARTMENTS),
    UnitSpec("dai-ptth", "Đài Phát thanh và Truyền hình", "Đài PT-TH", DEPARTMENTS),
    UnitSpec("ban-qlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "BQLDA ĐTXD tỉnh", DEPARTMENTS),
    UnitSpec("tp-soc-trang", "Thành phố Sóc Trăng", "TP Sóc Trăng", DISTRICTS, 2008),
    UnitSpec("tx-vinh-chau", "Thị xã Vĩnh Châu", "TX Vĩnh Châu", DISTRICTS, 2008),
    UnitSpec("tx-nga-nam", "Thị xã Ngã Năm", "TX Ngã Năm", DISTRICTS, 2008),
    UnitSpec("h-chau-thanh", "Huyện Châu Thành", "Châu Thành", DISTRICTS, 2008),
    UnitSpec("h-ke-sach", "Huyện Kế Sách", "Kế Sách", DISTRICTS, 2008),
    UnitSpec("h-long-phu", "Huyện Long Phú", "Long Phú", DISTRICTS, 2008),
    UnitSpec("h-cu-lao-dung", "Huyện Cù Lao Dung", "Cù Lao Dung", DISTRICTS, 2008),
    UnitSpec("h-my-tu", "Huyện Mỹ Tú", "Mỹ Tú", DISTRICTS, 2008),
    UnitSpec("h-my-xuyen", "Huyện Mỹ Xuyên", "Mỹ Xuyên", DISTRICTS, 2008),
    UnitSpec("h-thanh-tri", "Huyện Thạnh Trị", "Thạnh Trị", DISTRICTS, 2008),
    # Trần Đề was created in 2010 from parts of Long Phú and Mỹ Xuyên.
    UnitSpec("h-tran-de", "Huyện Trần Đề", "Trần Đề", DISTRICTS, 2010),
)
