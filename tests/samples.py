"""The sample workbooks of docs/samples that tests write with the portal's own writers.

A test checks that the committed sample holds what the code writes now; after a format
change, rewrite them with `CCHC_WRITE_SAMPLES=1 .venv/bin/pytest tests -k sample`. (The
samples taken from the demo are written by `manage.py write_samples` instead.)
"""

import os
from pathlib import Path

from demo.samples import cell_values

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "samples"


def check_sample(name: str, data: bytes) -> None:
    """The committed sample holds what the code writes (rewritten when asked to)."""
    path = SAMPLES / name
    if os.environ.get("CCHC_WRITE_SAMPLES"):
        path.write_bytes(data)
    assert cell_values(path.read_bytes()) == cell_values(data), (
        f"{path} is out of date: rewrite it with CCHC_WRITE_SAMPLES=1 (see tests/samples.py)."
    )
