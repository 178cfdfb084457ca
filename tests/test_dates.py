from datetime import date

import pytest

from publisher.dates import DateError, PartialDate, add_months, parse_day, span_label


@pytest.mark.parametrize(
    "text, label, start, end",
    [
        ("2023-12-08", "8 December 2023", date(2023, 12, 8), date(2023, 12, 8)),
        ("2023-12-04..2023-12-08", "4 to 8 December 2023", date(2023, 12, 4), date(2023, 12, 8)),
        ("2023-11-30..2023-12-02", "30 November to 2 December 2023", date(2023, 11, 30), date(2023, 12, 2)),
        ("2013-10", "October 2013", date(2013, 10, 1), date(2013, 10, 31)),
        ("2024-02", "February 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("2018", "2018", date(2018, 1, 1), date(2018, 12, 31)),
        ("2010/11", "2010/11", date(2010, 1, 1), date(2011, 12, 31)),
        ("1999/2000", "1999/00", date(1999, 1, 1), date(2000, 12, 31)),
        ("1999/00", "1999/00", date(1999, 1, 1), date(2000, 12, 31)),
    ],
)
def test_partial_dates_keep_their_precision(text, label, start, end):
    parsed = PartialDate.parse(text)
    assert (parsed.label, parsed.start, parsed.end) == (label, start, end)


def test_not_stated_is_a_date_with_no_bounds_that_sorts_last():
    unknown = PartialDate.parse("not stated")
    assert not unknown.known and unknown.label == "Date not stated"
    assert sorted([unknown, PartialDate.parse("2018")], key=lambda d: d.sort_key)[0].text == "2018"


def test_a_bare_year_read_by_yaml_as_a_number_is_accepted():
    assert PartialDate.parse(2018).label == "2018"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2023-02-30", r"February 2023 has 28 days \(check the day in the source; if it gives only the month, write 2023-02\)"),
        ("2023-13", "month 13, which does not exist"),
        ("2010/12", "two consecutive years"),
        ("2023-12-08..2023-12-04", "ends before it starts"),
        ("2023-12-08T10:00+01:00", "has a time of day"),
        ("2023-12-08Z", "has a time zone"),
        ("2023-12-08+01:00", "has a time zone"),
        ("2023-12-08-0500", "has a time zone"),
        ("0000-01-01", "the year 0000, which cannot be right"),
        ("2203-06", "the year 2203, which cannot be right"),
        ("1023", "the year 1023, which cannot be right"),
        ("last spring", "not a date this site understands"),
        (True, "a date is needed"),
    ],
)
def test_impossible_or_unreadable_dates_say_why(text, message):
    with pytest.raises(DateError, match=message):
        PartialDate.parse(text)


def test_parse_day_refuses_anything_but_a_whole_day():
    assert parse_day("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(DateError, match="2023 has 28 days"):
        parse_day("2023-02-29")
    with pytest.raises(DateError):
        parse_day("2024-02")
    with pytest.raises(DateError, match="has a time zone"):
        parse_day("2024-02-29Z")


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 8), 3) == date(2024, 3, 8)


@pytest.mark.parametrize(
    "earlier, later, label",
    [
        (date(2024, 12, 31), date(2025, 6, 30), "6 months"),  # end of December to end of June
        (date(2024, 12, 31), date(2025, 12, 31), "1 year"),
        (date(2023, 12, 31), date(2025, 2, 28), "1 year and 2 months"),
        (date(2024, 3, 15), date(2024, 9, 20), "about 6 months"),
        (date(2024, 3, 15), date(2024, 9, 30), "about 7 months"),
        (date(2024, 3, 15), date(2024, 3, 16), "1 day"),
        (date(2024, 3, 1), date(2024, 3, 22), "21 days"),
        (date(2025, 6, 30), date(2024, 12, 31), "6 months"),  # the order does not matter
    ],
)
def test_spans_are_given_in_months_and_years_as_people_say_them(earlier, later, label):
    assert span_label(earlier, later) == label
