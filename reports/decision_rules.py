"""What a decision's text must be before it is saved or published: pure rules, no database.

The drafting form (reports.forms.drafting), the drafting services and the
publication refusals all ask `decision_problems`, so a draft is held to the same
rules however it arrives: the form, the publish_decision command, the admin, or a
correction copied from a decision published before these rules existed.

Three kinds of refusal, each naming the field (and the line of a list field):
- a required field left empty, or a cited document whose number or date is blank
  ("số /KH-UBND", "ngày tháng năm": how a blank form leaves them);
- a placeholder: "…", "...", "___", "[" or a standalone "xx";
- an impossible date: a legal basis citing a document dated after the decision,
  or a decision dated before the campaign's appraisal ended (the caller looks that
  day up: reports.selectors.appraisal_end).
"""

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from reports.models import Decision

TEXT_FIELDS = ("number", "place", "issuing_body", "subject", "signer_title", "signer_name")
LIST_FIELDS = ("legal_bases", "articles", "recipients")
CHECKED_FIELDS = ("number", "signed_on", *TEXT_FIELDS[1:], *LIST_FIELDS)

# "xx" counts only standing alone (digits and signs around it are fine: "xx/QĐ", "20xx"),
# never inside a word. A bare "XX" is also the Roman twenty; a decision has no use for it.
PLACEHOLDER = re.compile(r"…|\.{3,}|_{3,}|\[|(?<![^\W\d_])[xX]{2,}(?![^\W\d_])")
# "số /KH-UBND": the number before the slash left blank.
BLANK_NUMBER = re.compile(r"\bsố\s*/", re.IGNORECASE)
# In a legal basis every "ngày" introduces a date; "ngày tháng năm" is a blank one.
BLANK_DATE = re.compile(r"\bngày\b(?!\s*\d)", re.IGNORECASE)
CITED_DATES = (
    re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE),
    re.compile(r"\bngày\s+(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})\b", re.IGNORECASE),
)
EXCERPT_LENGTH = 90


@dataclass(frozen=True)
class Problem:
    """One refusal: the Decision field it concerns, the 1-based line of a list field."""

    field: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class CitedDate:
    text: str  # the citation as quoted in a refusal, ending with its date
    day: date | None  # None: the words do not make a real date (31/02)


def decision_values(decision: Decision) -> dict:
    """The checked fields of a saved or unsaved Decision, as decision_problems takes them."""
    return {name: getattr(decision, name) for name in CHECKED_FIELDS}


def decision_problems(values: Mapping, *, appraisal_ended: date | None = None) -> list[Problem]:
    """Every reason the decision's text cannot stand, in the order of the form's fields.

    `values` maps Decision field names to their values (list fields as lists of lines);
    a field absent from it is not checked. `appraisal_ended` is the day the campaign's
    appraisal ended, when known.
    """
    problems: list[Problem] = []
    signed_on = values.get("signed_on")
    for name in CHECKED_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "signed_on":
            problems += _date_problems(value, appraisal_ended)
        elif name in LIST_FIELDS:
            lines = [_text(line) for line in value or []]
            lines = [line for line in lines if line]
            if not lines:
                problems.append(_required(name))
            for number, line in enumerate(lines, start=1):
                problems += _text_problems(name, line, number, signed_on=signed_on)
        else:
            text = _text(value)
            if not text:
                problems.append(_required(name))
            else:
                problems += _text_problems(name, text, None, signed_on=signed_on)
    return problems


def placeholders(text: str) -> list[str]:
    """Excerpts of the text around each placeholder it holds."""
    text = _text(text)
    spans = [
        _word_span(text, m.start(), m.end(), before=3, after=0) for m in PLACEHOLDER.finditer(text)
    ]
    return _quote(text, spans)


def cited_dates(text: str) -> list[CitedDate]:
    """The dates a legal basis cites: "ngày 19 tháng 6 năm 2015", "ngày 19/6/2015"."""
    text = _text(text)
    found = []
    for pattern in CITED_DATES:
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g and g.isdigit()]
            day, month, year = (int(g) for g in groups)
            try:
                cited = date(year, month, day)
            except ValueError:
                cited = None
            found.append((match.start(), match.end(), cited))
    found.sort()
    dates, floor = [], 0
    for _start, end, cited in found:
        dates.append(CitedDate(_citation(text, floor, end), cited))
        floor = end
    return dates


def _text(value) -> str:
    # Typed Vietnamese may arrive decomposed (a vowel, then its marks): match composed text.
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _label(name: str) -> str:
    return str(capfirst(Decision._meta.get_field(name).verbose_name))


def _where(name: str, line: int | None) -> str:
    if line is None:
        return _label(name)
    return _("%(field)s, line %(line)s") % {"field": _label(name), "line": line}


def _required(name: str) -> Problem:
    return Problem(name, _("%(field)s: this field is required.") % {"field": _label(name)})


def _date_problems(signed_on: date | None, appraisal_ended: date | None) -> list[Problem]:
    if signed_on is None:
        return [_required("signed_on")]
    if appraisal_ended is not None and signed_on < appraisal_ended:
        message = _(
            "%(field)s: the decision is dated %(date)s, before the campaign's appraisal "
            "ended on %(ended)s (the last appraisal finalised): it cannot approve results "
            "that were not final yet."
        ) % {
            "field": _label("signed_on"),
            "date": f"{signed_on:%d/%m/%Y}",
            "ended": f"{appraisal_ended:%d/%m/%Y}",
        }
        return [Problem("signed_on", message)]
    return []


def _text_problems(
    name: str, text: str, line: int | None, *, signed_on: date | None
) -> list[Problem]:
    found = placeholders(text)
    if found:
        # A line with a placeholder is refused for it alone: its blanks and dates are the
        # placeholder's business, and one reason a line is enough to act on.
        marks = ", ".join(dict.fromkeys(m.group() for m in PLACEHOLDER.finditer(text)))
        message = _(
            "%(where)s: “%(text)s” still holds a placeholder (%(marks)s): write the real text."
        ) % {"where": _where(name, line), "text": "”, “".join(found), "marks": marks}
        return [Problem(name, message, line)]
    problems = list(_blank_problems(name, text, line))
    if name == "legal_bases" and not problems:
        problems += _cited_date_problems(text, line, signed_on=signed_on)
    return problems


def _blank_problems(name: str, text: str, line: int | None) -> Iterator[Problem]:
    if name == "number" and text.startswith("/"):
        yield Problem(
            name,
            _("%(where)s: “%(text)s” has no number before the slash.")
            % {"where": _where(name, line), "text": text},
            line,
        )
    for match in BLANK_NUMBER.finditer(text):
        excerpt = _excerpt(text, match.start(), match.end(), after=0)
        yield Problem(
            name,
            _("%(where)s: the number of the cited document is missing in “%(text)s”.")
            % {"where": _where(name, line), "text": excerpt},
            line,
        )
    if name != "legal_bases":
        return
    for match in BLANK_DATE.finditer(text):
        excerpt = _excerpt(text, match.start(), match.end(), after=2)
        yield Problem(
            name,
            _("%(where)s: the date of the cited document is missing in “%(text)s”.")
            % {"where": _where(name, line), "text": excerpt},
            line,
        )


def _cited_date_problems(text: str, line: int | None, *, signed_on: date | None) -> list[Problem]:
    problems = []
    for cited in cited_dates(text):
        if cited.day is None:
            message = _("%(where)s: “%(text)s” is not a real date.") % {
                "where": _where("legal_bases", line),
                "text": cited.text,
            }
        elif signed_on is not None and cited.day > signed_on:
            message = _(
                "%(where)s: “%(text)s” is dated %(cited)s, after the decision itself "
                "(%(date)s): a decision cannot rest on a later document."
            ) % {
                "where": _where("legal_bases", line),
                "text": cited.text,
                "cited": f"{cited.day:%d/%m/%Y}",
                "date": f"{signed_on:%d/%m/%Y}",
            }
        else:
            continue
        problems.append(Problem("legal_bases", message, line))
    return problems


def _word_span(text: str, start: int, end: int, *, before: int, after: int) -> tuple[int, int]:
    """Indexes of the first and last word to quote for text[start:end]."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    first = next(i for i, (_s, word_end) in enumerate(words) if word_end > start)
    last = max(
        next((i for i, (word_start, _e) in enumerate(words) if word_start >= end), len(words)) - 1,
        first,
    )
    return max(first - before, 0), min(last + after, len(words) - 1)


def _quote(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The quoted words of each span of word indexes, overlapping spans merged."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [text[words[first][0] : words[last][1]].strip(" ;,") for first, last in merged]


def _excerpt(text: str, start: int, end: int, *, after: int) -> str:
    """The words holding text[start:end], with the two words before and `after` after."""
    return _quote(text, [_word_span(text, start, end, before=2, after=after)])[0].rstrip(".")


def _citation(text: str, floor: int, end: int) -> str:
    """The cited document up to its date: from the previous ";" or date (or the line's start)."""
    start = max(floor, text.rfind(";", 0, end) + 1, text.rfind(":", 0, end) + 1)
    cited = text[start:end].strip()
    for opening in ("Căn cứ ", "căn cứ "):
        cited = cited.removeprefix(opening)
    if len(cited) > EXCERPT_LENGTH:
        cut = cited.find(" ", len(cited) - EXCERPT_LENGTH)
        cited = cited[cut + 1 :] if cut != -1 else cited
    return cited
