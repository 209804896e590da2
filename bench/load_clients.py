"""The load benchmark's clients: public readers, staff saving appraisals, a /healthz probe,
and the recorder of what each request took."""

# Every URL opened here is built by bench/load.py on 127.0.0.1.
# ruff: noqa: S310

import html.parser
import http.cookiejar
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from bench import load_data

# How often each public kind is asked for, relative to the others.
PUBLIC_WEIGHTS = {
    "rankings": 4,
    "unit profile": 4,
    "decision": 2,
    "decision PDF": 1,
    "open data": 1,
}


class Recorder:
    """Latencies and errors per kind, and the bounds of the run (time and requests)."""

    def __init__(self, *, until: float, max_requests: int) -> None:
        self.until = until
        self.left = max_requests
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.until:
                return False
            self.left -= 1
            return True

    def pause(self, mean: float) -> None:
        """A user's pause (uniform, 0 to twice the mean), cut short where the run ends."""
        wanted = random.uniform(0, 2 * mean)  # noqa: S311 (a pause, not a secret)
        time.sleep(max(0.0, min(wanted, self.until - time.monotonic())))

    def record(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class PageFields(html.parser.HTMLParser):
    """The values of a page's inputs and textareas, by name."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name"):
            self.values[named["name"]] = named.get("value") or ""
        elif tag == "textarea" and named.get("name"):
            self._textarea = named["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # A browser drops the newline Django writes right after <textarea>.
            first = not self.values[self._textarea]
            self.values[self._textarea] += data.removeprefix("\n") if first else data


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to time, not to follow


def fetch(opener, url: str, data: dict | None = None) -> tuple[int, str, str, float]:
    """(status, body, Location, seconds) of one request."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept-Encoding": "identity"})
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            text = response.read().decode(errors="replace")
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        status, location = error.code, error.headers.get("Location", "")
    return status, text, location, time.perf_counter() - started


def browser():
    # With DEBUG off the cookies are Secure; on loopback they travel over plain HTTP.
    policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "http"))
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy))
    return urllib.request.build_opener(jar, NoRedirect)


class Staff:
    """One staff member's browser: logs in, then saves appraisals and reads them back."""

    def __init__(self, base: str, work: load_data.StaffWork, password: str) -> None:
        self.base, self.work = base, work
        self.opener = browser()
        self.page_url = f"{base}/assessments/{work.assessment}/appraise/"
        _status, page, _location, _took = fetch(self.opener, f"{base}/login/")
        fields = PageFields(page).values
        login = {"username": work.username, "password": password}
        status, _page, _location, _took = fetch(
            self.opener,
            f"{base}/login/",
            {**login, "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]},
        )
        if status != 302:
            raise SystemExit(f"{work.username} could not log in (status {status}).")
        status, page, _location, _took = fetch(self.opener, self.page_url)
        self.fields = PageFields(page).values
        self.order = list(work.scores)
        self.saves = 0
        self.counts: dict[int, int] = defaultdict(int)  # acknowledged saves per score
        self.last: dict[int, tuple[Decimal, str]] = {}
        self.lost: list[str] = []

    def save_once(self, recorder: Recorder) -> None:
        pk = self.order[self.saves % len(self.order)]
        self.saves += 1
        maximum = self.work.scores[pk]
        quarter = self.counts[pk] % 4  # each save of a score differs from its previous one
        points = (maximum * (4 - quarter) / 4).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        note = f"Lưu {self.work.username} lần {self.saves}"
        prefix = f"s{pk}-"
        data = {name: value for name, value in self.fields.items() if name.startswith(prefix)}
        data |= {f"{prefix}points": str(points), f"{prefix}note": note}
        data["csrfmiddlewaretoken"] = self.fields["csrfmiddlewaretoken"]
        url = f"{self.base}/assessments/{self.work.assessment}/appraise/{pk}/"
        try:
            status, _page, location, took = fetch(self.opener, url, data)
        except OSError as error:
            recorder.record("staff save", 30.0, type(error).__name__)
            return
        if status != 302:
            recorder.record("staff save", took, f"status {status}")
            return
        recorder.record("staff save", took)
        self.counts[pk] += 1
        self.last[pk] = (points, note)
        if not recorder.take():
            return
        try:
            status, page, _location, took = fetch(self.opener, urllib.parse.urljoin(url, location))
        except OSError as error:
            recorder.record("staff page", 30.0, type(error).__name__)
            return
        recorder.record("staff page", took, "" if status == 200 else f"status {status}")
        if status == 200:
            self.fields = PageFields(page).values
            shown = self.fields.get(f"{prefix}points", "").replace(",", ".")
            if Decimal(shown or "-1") != points or self.fields.get(f"{prefix}note") != note:
                self.lost.append(f"score {pk}: saved {points} {note!r}, read back {shown!r}")

    def run(self, recorder: Recorder, think: float) -> None:
        while recorder.take():
            self.save_once(recorder)
            recorder.pause(think)


def read_public(base: str, plan: load_data.Plan, recorder: Recorder, think: float) -> None:
    opener = browser()
    kinds = list(PUBLIC_WEIGHTS)
    weights = list(PUBLIC_WEIGHTS.values())
    while recorder.take():
        kind = random.choices(kinds, weights)[0]  # noqa: S311
        public_get(opener, kind, base + random.choice(plan.public[kind]), recorder)  # noqa: S311
        recorder.pause(think)


def public_get(opener, kind: str, url: str, recorder: Recorder) -> None:
    try:
        status, _page, _location, took = fetch(opener, url)
    except OSError as error:
        recorder.record(kind, 30.0, type(error).__name__)
        return
    recorder.record(kind, took, "" if status == 200 else f"status {status} {url}")


def probe(base: str, recorder: Recorder) -> None:
    opener = browser()
    while recorder.take():
        public_get(opener, "/healthz", f"{base}/healthz", recorder)
        time.sleep(0.1)
