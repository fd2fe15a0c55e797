"""The aid engine's fast path gives exactly the straightforward month-by-month computation.

``compute_schedule`` reads a full month (inside the period, without an unpaid suspension nor an
amendment taking effect inside it) from rows built once per process, and finds the SMIC row
once per row in force rather than once per month. ``reference_schedule`` below is the
computation written out plainly, as the engine did before: every month computed in full, the
SMIC looked up on each month's first covered day, the amount computed without a cache. For
random conventions (amendments, suspensions paid or not, funders' shares, rates written as
``47`` or ``47.0``, SMIC series with rows in mid-month) both give the same schedule: the same
amounts, the same values written the same way, the same explanations (rules E6, F5, F6, F10,
F12).
"""

import datetime
import decimal
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.rules import aid
from tremplin.rules.aid import AidTerms, FunderShare, MonthAid, MonthSegment, Suspension
from tremplin.rules.parameters import DatedSeries, DatedValue, layered_series, series

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


# --- The reference: every month in full, nothing cached --------------------------------------


def _overlap(first, last, intervals):
    return sum(
        (min(last, high) - max(first, low)).days + 1
        for low, high in intervals
        if max(first, low) <= min(last, high)
    )


def _amount(parts, smic_hourly, days_in_month):
    # Σ rate/100 × SMIC × hours × 52/12 × days/days_in_month, rounded half up to the cent once.
    with decimal.localcontext() as context:
        context.prec = 60
        numerator = sum(
            (rate * smic_hourly * hours * 52 * days for rate, hours, days in parts), Decimal(0)
        )
        exact = numerator / Decimal(100 * 12 * days_in_month)
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _split(amount, shares):
    parts, allocated = [], Decimal("0.00")
    for index, share in enumerate(shares):
        if index == len(shares) - 1:
            part = amount - allocated
        else:
            part = (amount * share.fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            allocated += part
        parts.append(aid.FunderAmount(share.funder, part))
    return tuple(parts)


def reference_schedule(start, end, terms, suspensions=(), funder_shares=(), smic=None, cap=None):
    terms, suspensions, funder_shares = tuple(terms), tuple(suspensions), tuple(funder_shares)
    # The checks of the input are the engine's own (not what this file compares).
    aid._validate(start, end, terms, suspensions, funder_shares, cap or aid.RATE_CAP_PERCENT)
    smic = smic or series("smic_hourly")
    unpaid_days = set()
    for suspension in suspensions:
        day = max(suspension.start, start)
        while not suspension.paid and day <= min(suspension.end, end):
            unpaid_days.add(day)
            day += ONE_DAY
    unpaid = [(day, day) for day in sorted(unpaid_days)]  # one interval per day: plain
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days_in_month = (D(year + month // 12, month % 12 + 1, 1) - D(year, month, 1)).days
        first = max(start, D(year, month, 1))
        last = min(end, D(year, month, days_in_month))
        segments = []
        for index, current in enumerate(terms):
            following = terms[index + 1].effective_from if index + 1 < len(terms) else None
            segment_first = max(first, current.effective_from)
            segment_last = last if following is None else min(last, following - ONE_DAY)
            if segment_first > segment_last:
                continue
            days = (segment_last - segment_first).days + 1
            days -= _overlap(segment_first, segment_last, unpaid)
            if days:
                segments.append(
                    MonthSegment(days, current.rate_percent, current.weekly_hours, segment_first)
                )
        first_covered = first
        while first_covered <= last and first_covered in unpaid_days:
            first_covered += ONE_DAY
        if first_covered > last:
            first_covered = first
        smic_entry = smic.entry_at(first_covered)
        shown = [t for t in terms if t.effective_from <= first_covered][-1]
        amount = _amount(
            [(s.rate_percent, s.weekly_hours, s.days) for s in segments],
            smic_entry.value,
            days_in_month,
        )
        months.append(
            MonthAid(
                month=f"{year:04d}-{month:02d}",
                days_covered=sum(s.days for s in segments),
                days_in_month=days_in_month,
                suspended_days=_overlap(first, last, unpaid),
                smic_hourly=smic_entry.value,
                smic_source=smic_entry.source,
                rate_percent=shown.rate_percent,
                weekly_hours=shown.weekly_hours,
                amount=amount,
                segments=tuple(segments),
                funder_amounts=_split(amount, funder_shares) if funder_shares else (),
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return aid.AidSchedule(
        start=start,
        end=end,
        terms=terms,
        suspensions=suspensions,
        funder_shares=funder_shares,
        months=tuple(months),
        total=sum((m.amount for m in months), Decimal("0.00")),
    )


# --- Random conventions ----------------------------------------------------------------------

# The same rate or hours written in several ways: 47, 47.0, 47.00 are shown differently.
rates = st.sampled_from(["25", "33", "47", "47.0", "60", "12.5", "33.33", "0.5"]).map(Decimal)
hours = st.sampled_from(["20", "24", "26", "30", "35", "35.0", "17.5", "1.25"]).map(Decimal)


@st.composite
def smic_series(draw):
    """The shipped series, or it with values layered over it (rows in mid-month, values
    written with more places), or a series starting in mid-month."""
    shipped = series("smic_hourly")
    kind = draw(st.sampled_from(["shipped", "layered", "late start"]))
    if kind == "shipped":
        return shipped
    rows = [
        DatedValue(
            draw(st.dates(min_value=D(2010, 1, 1), max_value=D(2027, 12, 31))),
            draw(st.decimals(min_value=Decimal(8), max_value=Decimal(14), places=3)),
            draw(st.sampled_from(["Valeur saisie", "Décret n° 2024-951"])),
        )
        for _ in range(draw(st.integers(min_value=1, max_value=4)))
    ]
    if kind == "layered":
        return layered_series(shipped, rows)
    by_date = {row.valid_from: row for row in rows}
    return DatedSeries("smic_hourly", tuple(by_date[day] for day in sorted(by_date)))


@st.composite
def conventions(draw):
    start = draw(st.dates(min_value=D(2010, 1, 1), max_value=D(2027, 12, 31)))
    end = start + datetime.timedelta(days=draw(st.integers(min_value=0, max_value=3 * 366)))
    span = (end - start).days
    amendment_days = sorted(
        set(draw(st.lists(st.integers(min_value=1, max_value=max(span, 1)), max_size=3)))
    )
    terms = [AidTerms(start, draw(rates), draw(hours))] + [
        AidTerms(start + datetime.timedelta(days=offset), draw(rates), draw(hours))
        for offset in amendment_days
        if offset <= span
    ]
    suspensions = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = start + datetime.timedelta(days=draw(st.integers(min_value=-40, max_value=span)))
        length = draw(st.integers(min_value=0, max_value=90))
        suspensions.append(
            Suspension(first, first + datetime.timedelta(days=length), paid=draw(st.booleans()))
        )
    shares = draw(
        st.sampled_from(
            [
                (),
                (FunderShare(aid.FUNDER_STATE, Decimal(1)),),
                (
                    FunderShare(aid.FUNDER_STATE, Decimal("0.5")),
                    FunderShare(aid.FUNDER_DEPARTMENT, Decimal("0.50")),
                ),
                (
                    FunderShare(aid.FUNDER_STATE, Decimal(25) / Decimal(47)),
                    FunderShare(aid.FUNDER_DEPARTMENT, 1 - Decimal(25) / Decimal(47)),
                ),
            ]
        )
    )
    return start, end, terms, suspensions, shares, draw(smic_series())


def _outcome(function, *arguments):
    """The schedule, or the French error it raises."""
    try:
        return function(*arguments)
    except (aid.AidRuleError, LookupError) as error:
        return (type(error), str(error))


def _assert_same(fast, reference):
    assert fast == reference
    # Equal Decimals may be written differently (47 and 47.0): the rows must be written alike.
    assert repr(fast) == repr(reference)
    if isinstance(fast, aid.AidSchedule):
        assert [m.explanation for m in fast.months] == [m.explanation for m in reference.months]


@settings(max_examples=400)
@given(conventions())
def test_the_fast_path_gives_the_straightforward_schedule(convention):
    start, end, terms, suspensions, shares, smic = convention
    # A département's rate may reach 60 % when it funds alone (rule F6): the cap is its order's.
    arguments = (start, end, terms, suspensions, shares, smic, Decimal(60))
    expected = _outcome(reference_schedule, *arguments)
    # Twice: the second computation reads the full months' rows built by the first.
    for _ in range(2):
        computed = _outcome(aid.compute_schedule, *arguments)
        _assert_same(computed, expected)


def test_a_full_month_row_is_not_shared_between_different_smic_rows_or_rates():
    """Two conventions over the same months, one SMIC value typed with three places, one rate
    written 47.0: each gets its own rows (the cache is keyed by the values as written)."""
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    typed = layered_series(
        series("smic_hourly"), [DatedValue(D(2024, 11, 1), Decimal("11.881"), "Valeur saisie")]
    )
    for smic in (None, typed, None):
        for rate in (Decimal("47"), Decimal("47.0")):
            terms = [AidTerms(start, rate, Decimal(26))]
            _assert_same(
                aid.compute_schedule(start, end, terms, smic=smic),
                reference_schedule(start, end, terms, smic=smic),
            )
    # 0,47 × 11,881 = 5,58407 ; × 26 = 145,18582 ; × 52 = 7 549,66264 ; / 12 = 629,1385…
    #   → 629,14 € (with 11,88 €: 629,09 €)
    typed_month = aid.compute_schedule(
        start, end, [AidTerms(start, Decimal(47), Decimal(26))], smic=typed
    ).months[3]
    assert (typed_month.amount, str(typed_month.smic_hourly)) == (Decimal("629.14"), "11.881")


def test_the_bench_conventions_are_unchanged():
    """The bench's schedules (bench/conventions.py: 24 months from a random day, one in ten with
    an unpaid suspension of 10 days in its second month), a sample of them."""
    import random

    from tremplin.rules.eligibility import add_months

    rng = random.Random(2026)
    for index in range(200):
        start = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        end = add_months(start, 24) - ONE_DAY
        suspensions = []
        if index % 10 == 0:
            first = start + datetime.timedelta(days=40)
            suspensions.append(Suspension(first, first + datetime.timedelta(days=9)))
        terms = [AidTerms(start, rng.choice([Decimal(25), Decimal(33), Decimal(47)]), Decimal(26))]
        _assert_same(
            aid.compute_schedule(start, end, terms, suspensions),
            reference_schedule(start, end, terms, suspensions),
        )
