"""Money: parsing, formatting, capitals, tiers, change, split and refunds (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterdesk import money
from counterdesk.billing import TenderInput, resolve_tenders
from counterdesk.errors import ValidationError

TIERS = [(1, Decimal(0), 280), (2, Decimal(400), 336), (3, Decimal(1200), 420)]
fen = st.integers(min_value=1, max_value=10_000_000)
qty = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("5000"), places=3)


@pytest.mark.parametrize("fen_,text", [
    (12345, "壹佰贰拾叁元肆角伍分"), (10000, "壹佰元整"), (10050, "壹佰元伍角整"),
    (10005, "壹佰元零伍分"), (5, "伍分"), (0, "零元整"), (100500, "壹仟零伍元整"),
    (-250, "负贰元伍角整")])
def test_capitals_follow_the_receipt_convention(fen_, text):
    assert money.capitals(fen_) == text


@pytest.mark.parametrize("text,fen_", [("123.45", 12345), ("￥1,234.5", 123450), ("12元", 1200),
                                       ("０.５", 50), (" 7 ", 700)])
def test_parse_yuan(text, fen_):
    assert money.parse_yuan(text) == fen_


@pytest.mark.parametrize("text", ["", "-1", "1.234", "abc", "1e3", "1,2.3.4"])
def test_parse_yuan_refuses(text):
    with pytest.raises(ValidationError):
        money.parse_yuan(text)


@pytest.mark.parametrize("text", ["0", "-2", "0.0001", "x", "NaN", "Infinity"])
def test_parse_qty_refuses(text):
    with pytest.raises(ValidationError):
        money.parse_qty(text)


def test_float_is_never_money():
    with pytest.raises(TypeError):
        money.parse_qty(1.5)


@given(fen)
def test_format_parse_round_trip(f):
    assert money.parse_yuan(money.fmt(f)) == f
    assert money.parse_yuan(money.fmt_symbol(f)) == f


@given(fen)
def test_capitals_are_complete(f):
    text = money.capitals(f)
    assert text.endswith(("整", "分"))
    assert ("分" in text) == (f % 10 != 0)


@given(st.decimals(min_value=0, max_value=3000, places=3), qty)
def test_tiers_add_up(prior, q):
    amount, parts = money.tiered_amount(prior, q, TIERS)
    assert sum(p.qty for p in parts) == q
    assert amount == sum(p.amount_fen for p in parts)
    assert money.line_amount(q, 280) <= amount <= money.line_amount(q, 420) + len(parts)
    # buying in two steps costs the same as at once, within one fen of rounding per part
    half = (q / 2).quantize(Decimal("0.001"))
    a1, _ = money.tiered_amount(prior, half, TIERS)
    a2, _ = money.tiered_amount(prior + half, q - half, TIERS) if q - half > 0 else (0, [])
    assert abs(a1 + a2 - amount) <= 6


@given(fen, st.integers(min_value=0, max_value=10_000_000))
def test_change_never_negative(due, tendered):
    if tendered < due:
        with pytest.raises(ValidationError):
            money.change_for(due, tendered)
    else:
        assert money.change_for(due, tendered) == tendered - due >= 0


@given(fen, st.lists(st.integers(min_value=1, max_value=1_000_000), max_size=3),
       st.integers(min_value=0, max_value=100_000))
def test_split_tenders_cover_exactly_the_total(total, parts, extra_cash):
    fixed = [TenderInput("card", p, reference=f"POS{i:06d}") for i, p in enumerate(parts)]
    tenders = fixed + [TenderInput("cash", tendered_fen=None)]
    if sum(parts) >= total:
        with pytest.raises(ValidationError):
            resolve_tenders(total, tenders)
        return
    rest = total - sum(parts)
    tenders[-1] = TenderInput("cash", tendered_fen=rest + extra_cash)
    out = resolve_tenders(total, tenders)
    assert sum(t["amount_fen"] for t in out) == total
    assert out[-1]["change_fen"] == extra_cash
    assert all(t["amount_fen"] > 0 and t["change_fen"] >= 0 for t in out)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("500"), places=1),
       st.integers(min_value=1, max_value=99_999),
       st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=6))
def test_partial_refunds_never_lose_a_fen(q, price, steps):
    """Refund a line in pieces (the service's rule): never negative, never more than paid,
    and the last piece gives back exactly what is left."""
    amount = money.line_amount(q, price)
    q_left, a_left = q, amount
    pieces = [Decimal(s) for s in steps]
    total_piece = sum(pieces)
    refunded = 0
    for i, piece in enumerate(pieces):
        rq = (q * piece / total_piece).quantize(Decimal("0.001"))
        if i == len(pieces) - 1 or rq >= q_left:
            rq = q_left
        if rq <= 0:
            continue
        ra = a_left if rq == q_left else min(a_left, money.round_fen(Decimal(amount) * rq / q))
        assert 0 <= ra <= a_left
        q_left -= rq
        a_left -= ra
        refunded += ra
        if q_left == 0:
            break
    assert q_left == 0 and a_left == 0 and refunded == amount


@pytest.mark.parametrize("db_kind", ["sqlite"])
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("60"), places=1),
       st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=4),
       st.integers(min_value=0, max_value=5000))
def test_service_refunds_never_go_negative_or_lose_a_fen(demo_db, clerk, approval, q, steps,
                                                          extra):
    """Through the service: a sale refunded line by line in random pieces gives back
    exactly what was paid, by the original methods, never more, never negative."""
    import datetime as dt
    import secrets

    from counterdesk import billing, clock
    from counterdesk.billing import LineInput, RefundLine, SaleRequest

    clock.set_now(dt.datetime(2026, 11, 23, 11, 0))
    res = billing.pay(demo_db, clerk, SaleRequest(
        items=[LineInput("HOSE", q), LineInput("REPAIR", "1")],
        tenders=[TenderInput("card", 1500, reference=secrets.token_hex(8)),  # one slip each
                 TenderInput("cash", tendered_fen=None)]))
    assert res.total_fen == money.line_amount(q, 1500) + 3000
    assert sum(t["amount_fen"] for t in res.tenders) == res.total_fen
    back, left = 0, q
    for i, piece in enumerate(steps):
        rq = (q * piece / sum(steps)).quantize(Decimal("0.001"))
        last = i == len(steps) - 1 or rq >= left
        sel = RefundLine(1, None if last else rq)
        if not last and rq <= 0:
            continue
        r = billing.refund(demo_db, clerk, res.receipt_no, [sel], approval, reason="退货")
        assert r.total_fen < 0 and all(t["amount_fen"] < 0 for t in r.tenders)
        assert sum(t["amount_fen"] for t in r.tenders) == r.total_fen
        back -= r.total_fen
        left = left - (rq if not last else left)
        if last:
            break
    r = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(2)], approval, reason="x")
    back -= r.total_fen
    assert back == res.total_fen
    info = billing.get_receipt(demo_db, clerk.hall_id, res.receipt_no)
    assert info["status"] == "refunded"
