"""Dates with honest precision.

Sources rarely give a day. An inspection happens "in 2010/11", a report appears "in
October 2013", an article's date is "not stated". A `PartialDate` records exactly what the
source gives and never more; derivation uses its earliest and latest possible day.

Accepted forms (as text in YAML):

| written              | means                              | shown as                  |
| -------------------- | ---------------------------------- | ------------------------- |
| `2023-12-08`         | that day                           | 8 December 2023           |
| `2023-12-04..2023-12-08` | a span of days                 | 4 to 8 December 2023      |
| `2013-10`            | some day in that month             | October 2013              |
| `2018`               | some day in that year              | 2018                      |
| `2010/11`            | across two consecutive years       | 2010/11                   |
| `not stated`         | the source gives no date           | Date not stated           |
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

NOT_STATED = "not stated"

_DAY = r"(\d{4})-(\d{2})-(\d{2})"
_MONTH = r"(\d{4})-(\d{2})"
_PATTERNS = {
    "day": re.compile(rf"^{_DAY}$"),
    "day-range": re.compile(rf"^{_DAY}\.\.{_DAY}$"),
    "month": re.compile(rf"^{_MONTH}$"),
    "month-range": re.compile(rf"^{_MONTH}\.\.{_MONTH}$"),
    "year": re.compile(r"^(\d{4})$"),
    "years": re.compile(r"^(\d{4})/(\d{2}|\d{4})$"),
}

#: English month names, spelled out here because `calendar.month_name` follows the process
#: locale, and the site must read the same (byte for byte) whatever machine builds it.
MONTHS = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

#: Years a date on this site can plausibly have; outside them is a typing mistake (2203
#: for 2023 would make a recommendation "due" for ever, and year 0 cannot be a date at all).
YEARS = range(1900, 2101)

_TIME_OF_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]")
_TIME_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.I)

FORMS_HELP = "write a day 2024-03-31, a month 2024-03, a year 2024, a span 2010/11 or 2023-12-04..2023-12-08, or 'not stated'"


class DateError(ValueError):
    """A date that cannot be read or cannot exist; the message says which and why."""


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD_SLASHED = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NAMED_MONTH = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


def suggestion(text: str) -> str | None:
    """The ISO form of a date written another common way, for a did-you-mean.

    Day/month/year is read the British way (31/12/2025), as the site's authors write it; a
    form that only makes sense month-first (12/31/2025) is suggested that way round.
    """
    match = _DMY.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if second <= 12 else (second, first)
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    match = _YMD_SLASHED.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    match = _NAMED_MONTH.match(text)
    if match:
        day, name, year = match.groups()
        month = next((i for i, m in enumerate(MONTHS) if m and m.lower().startswith(name.lower())), None)
        if month:
            return f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"
    return None


def _not_understood(text: str, forms: str) -> DateError:
    guess = suggestion(text)
    if guess:
        return DateError(f"'{text}' is not written the way this site reads dates; did you mean {guess}? ({forms})")
    return DateError(f"'{text}' is not a date this site understands; {forms}")


def _no_time(text: str) -> None:
    """Dates on this site are calendar days in the tracker's time zone: refuse times and
    time zones, explaining."""
    if _TIME_OF_DAY.match(text):
        raise DateError(f"'{text}' has a time of day; give the date only, as YYYY-MM-DD")
    if _TIME_ZONE.match(text):
        raise DateError(f"'{text}' has a time zone; give the date only, as YYYY-MM-DD (every date is a day in the site's own time zone)")


def _year(text: str, y: str) -> int:
    year = int(y)
    if year not in YEARS:
        raise DateError(f"'{text}' has the year {y}, which cannot be right for this site; check the year")
    return year


def parse_day(text: str) -> date:
    """Parse an exact YYYY-MM-DD day, explaining impossible dates such as 2023-02-30."""
    text = str(text).strip()
    _no_time(text)
    match = _PATTERNS["day"].match(text)
    if not match:
        raise _not_understood(text, "write it as YYYY-MM-DD, for example 2024-03-31")
    return _make_day(text, *match.groups())


def _make_day(text: str, y: str, m: str, d: str) -> date:
    year, month, day = _year(text, y), int(m), int(d)
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month}, which does not exist; months run 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(
            f"'{text}' is not a real date: {MONTHS[month]} {year} has {last} days"
            f" (check the day in the source; if it gives only the month, write {year}-{month:02d})"
        )
    return date(year, month, day)


def _month_bounds(text: str, y: str, m: str) -> tuple[date, date]:
    year, month = _year(text, y), int(m)
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {month}, which does not exist; months run 01 to 12")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a span of days, a month, a year, two years, or not at all."""

    text: str
    precision: str  # day, day-range, month, month-range, year, years, unknown
    start: date | None
    end: date | None

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, bool) or value is None:
            raise DateError(f"a date is needed here; {FORMS_HELP}")
        if isinstance(value, int):  # YAML reads a bare year as a number
            value = str(value)
        if not isinstance(value, str):
            raise DateError(f"a date is needed here; {FORMS_HELP}")
        text = value.strip()
        if text.lower() == NOT_STATED:
            return cls(NOT_STATED, "unknown", None, None)
        _no_time(text)
        for precision, pattern in _PATTERNS.items():
            match = pattern.match(text)
            if not match:
                continue
            g = match.groups()
            if precision == "day":
                day = _make_day(text, *g)
                return cls(text, precision, day, day)
            if precision == "day-range":
                start, end = _make_day(text, *g[:3]), _make_day(text, *g[3:])
            elif precision == "month":
                start, end = _month_bounds(text, *g)
            elif precision == "month-range":
                start, end = _month_bounds(text, *g[:2])[0], _month_bounds(text, *g[2:])[1]
            elif precision == "year":
                year = _year(text, g[0])
                start, end = date(year, 1, 1), date(year, 12, 31)
            else:  # years: 2010/11 or 2010/2011
                first = _year(text, g[0])
                second = int(g[1]) if len(g[1]) == 4 else first // 100 * 100 + int(g[1])
                if len(g[1]) == 2 and second < first:  # 1999/00 crosses a century
                    second += 100
                if second != first + 1:
                    raise DateError(f"'{text}' should name two consecutive years, such as 2010/11")
                start, end = date(first, 1, 1), date(second, 12, 31)
            if end < start:
                raise DateError(f"'{text}' ends before it starts; put the earlier date first")
            return cls(text, precision, start, end)
        raise _not_understood(text, FORMS_HELP)

    @classmethod
    def of(cls, day: date) -> "PartialDate":
        return cls(day.isoformat(), "day", day, day)

    @property
    def known(self) -> bool:
        return self.start is not None

    @property
    def sort_key(self) -> tuple[date, date]:
        """Unknown dates sort last; otherwise by earliest, then latest possible day."""
        return (self.start or date.max, self.end or date.max)

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """The date as the public reads it, never more precise than the source."""
        s, e = self.start, self.end
        if s is None or e is None:
            return "Date not stated"
        if self.precision == "day":
            return long_day(s)
        if self.precision == "day-range":
            if (s.year, s.month) == (e.year, e.month):
                return f"{s.day} to {e.day} {MONTHS[s.month]} {s.year}"
            if s.year == e.year:
                return f"{s.day} {MONTHS[s.month]} to {long_day(e)}"
            return f"{long_day(s)} to {long_day(e)}"
        if self.precision == "month":
            return f"{MONTHS[s.month]} {s.year}"
        if self.precision == "month-range":
            if s.year == e.year:
                return f"{MONTHS[s.month]} to {MONTHS[e.month]} {s.year}"
            return f"{MONTHS[s.month]} {s.year} to {MONTHS[e.month]} {e.year}"
        if self.precision == "year":
            return str(s.year)
        return f"{s.year}/{str(e.year)[2:]}"


def long_day(day: date) -> str:
    """8 December 2023: the GOV.UK style, with no leading zero and no ordinal."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def span_label(earlier: date, later: date) -> str:
    """How far apart two days are, as the public reads it: '6 months', '1 year and 2 months'.

    Due dates are mostly months, held as their last day; measuring from the day after
    each end makes 31 December to 30 June exactly six months. Spans of a month or more
    are given in whole months ('about' when days are rounded away); shorter ones in days.
    """
    if later < earlier:
        earlier, later = later, earlier
    gap = relativedelta(later + timedelta(days=1), earlier + timedelta(days=1))
    months = gap.years * 12 + gap.months
    if months == 0:
        return _count(gap.days, "day")
    about = "about " if gap.days else ""
    if gap.days >= 15:
        months += 1
    years, months = divmod(months, 12)
    parts = [_count(years, "year")] if years else []
    if months:
        parts.append(_count(months, "month"))
    return about + " and ".join(parts)


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"
