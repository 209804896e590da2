"""Demo accounts: one per role of DESIGN.md, on the two units of the story's leaders.

They all share one publicly known password, which is why `load_demo` refuses to
run outside development unless told to, and prints it only with DEBUG on.
"""

from typing import NamedTuple

from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership

DEMO_PASSWORD = "cchc-demo-2016"  # noqa: S105 -- published on purpose, development only


class AccountSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    group: str = ""
    unit: str = ""
    role: str = ""
    is_staff: bool = False

    @property
    def role_label(self) -> str:
        if self.group:
            return self.group
        return f"{str(self.role)} of {self.unit}"


# The units the demo appraiser appraises in the open campaign (every area), so that the
# whole cycle can be tried with the demo accounts.
APPRAISED_UNITS = ("so-gddt", "so-gtvt")

ACCOUNTS = (
    # is_staff opens the Django admin, the operator's tool, to the Interior Department.
    AccountSpec("staff", "An", "Nguyễn Văn", group=STAFF_GROUP, is_staff=True),
    AccountSpec("appraiser", "Bình", "Trần Thị", group=APPRAISER_GROUP),
    AccountSpec("gddt_editor", "Châu", "Lê Minh", unit="so-gddt", role=Membership.Role.EDITOR),
    AccountSpec("gddt_head", "Dũng", "Phạm Quốc", unit="so-gddt", role=Membership.Role.HEAD),
    AccountSpec("gtvt_editor", "Giang", "Hoàng Thị", unit="so-gtvt", role=Membership.Role.EDITOR),
    AccountSpec("gtvt_head", "Hải", "Võ Thanh", unit="so-gtvt", role=Membership.Role.HEAD),
)
