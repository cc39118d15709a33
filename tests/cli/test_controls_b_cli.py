"""Issue 15, part B, through the command line: the safety stop, the price class, who
collects, references used once, nothing after the count, the hall policy on every PC, an
independent follow-up."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from counterdesk import clock
from counterdesk.cli import main
from counterdesk.db import Database
from counterdesk.models.accounts import Account
from tests.conftest import DEMO
from tests.helpers.billing_helpers import DAY


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys, monkeypatch):
    clock.set_now(DAY)
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
    return u


def _account(url, ctype: str) -> str:
    db = Database(url)
    try:
        with db.read() as s:
            return s.execute(select(Account.account_no).where(
                Account.customer_type == ctype, Account.status == "active")
                .order_by(Account.id)).scalars().first()
    finally:
        db.dispose()


def test_safety_stop_and_price_class(capsys, url, monkeypatch):
    resident, shop = _account(url, "resident"), _account(url, "commercial")
    assert resident and shop

    def pay(*extra, staff="1001"):
        return run(capsys, "--db", url, "--json", "pay", "--staff", staff, "--method", "qr",
                   *extra)

    code, out, err = run(capsys, "--db", url, "account", "suspend", resident, "--staff", "1001",
                         "--reason", "安检隐患暂停供气")
    assert code == 0, err
    code, out, err = pay("--account", resident, "--item", "GAS-R:20",
                         "--reference", "WX20261120001")
    assert code != 0 and "暂停供气" in err                 # before: gas was sold
    code, out, err = run(capsys, "--db", url, "account", "resume", resident, "--staff", "1001",
                         "--reason", "x")
    assert code != 0 and "安检单号" in err
    code, out, err = run(capsys, "--db", url, "account", "resume", resident, "--staff", "1001",
                         "--reason", "整改合格", "--inspection", "AJ-20261120-7",
                         "--approver", "9001")
    assert code == 0, err
    code, out, err = run(capsys, "--db", url, "--json", "account", "show", resident,
                         "--staff", "1001")
    [period] = json.loads(out)["suspensions"]
    assert period["inspection_ref"] == "AJ-20261120-7" and period["approved_by"] == "9001"
    # the price class: GAS-N is for non-residents with an account
    code, out, err = pay("--account", resident, "--item", "GAS-N:10",
                         "--reference", "WX20261120002")
    assert code != 0 and "居民用户" in err
    code, out, err = pay("--item", "GAS-N:10", "--reference", "WX20261120003")
    assert code != 0 and "户号" in err
    code, out, err = pay("--account", shop, "--item", "GAS-N:10", "--reference",
                         "WX20261120004")
    assert code == 0, err
    # only clerks and managers collect
    monkeypatch.setenv("COUNTERDESK_PASSWORD", DEMO["admin"][1])
    code, out, err = pay("--item", "CARD", "--reference", "WX20261120005",
                         staff=DEMO["admin"][0])
    assert code != 0 and "只有柜员和主任" in err


def test_references_the_count_and_the_hall_policy(capsys, url, monkeypatch):
    def pay(method, ref, *extra):
        opt = "--cheque-no" if method == "cheque" else "--reference"
        return run(capsys, "--db", url, "--json", "pay", "--staff", "1001", "--item", "CARD",
                   "--method", method, opt, ref, *extra)

    assert pay("qr", "WX20261120101")[0] == 0
    code, out, err = pay("qr", "WX20261120101")
    assert code != 0 and "已被使用" in err                  # before: reference reused
    code, out, err = pay("qr", "1")
    assert code != 0 and "格式" in err
    # the hall policy, set on one PC, is what the next command obeys
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, err = run(capsys, "--db", url, "policy", "set",
                         "billing.single_payment_limit_fen", "1000", "--staff", "9001")
    assert code == 0, err
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    code, out, err = pay("qr", "WX20261120102")
    assert code != 0 and "限额" in err
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    assert run(capsys, "--db", url, "policy", "set", "billing.single_payment_limit_fen",
               "5000000", "--staff", "9001")[0] == 0
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    # after the count nothing is taken, by any method
    assert run(capsys, "--db", url, "till", "open", "--staff", "1001", "--window", "1",
               "--count", "100=1")[0] == 0
    code, out, err = run(capsys, "--db", url, "till", "count", "--staff", "1001",
                         "--count", "100=1", "--noncash", "qr=20")
    assert code == 0, err
    code, out, err = pay("qr", "WX20261120103")
    assert code != 0 and "已点钞" in err                    # before: accepted


def test_change_of_customer_type(capsys, url, tmp_path):
    """account retype: a manager approves (the clerk alone is refused, nothing changed);
    the file shows the change, the confirmation PDF names the old type and the reason."""
    from tests.helpers.pdfcheck import pdf_text

    resident = _account(url, "resident")
    code, out, err = run(capsys, "--db", url, "account", "retype", resident, "--staff", "1001",
                         "--type", "商业", "--reason", "住宅改为商铺", "--docs",
                         "id_card,business_licence")
    assert code != 0 and "授权" in err
    assert _account(url, "resident") == resident
    # the shop's business licence is asked for
    code, out, err = run(capsys, "--db", url, "account", "retype", resident, "--staff", "1001",
                         "--type", "商业", "--reason", "住宅改为商铺", "--approver", "9001")
    assert code != 0 and "营业执照" in err
    pdf = tmp_path / "retype.pdf"
    code, out, err = run(capsys, "--db", url, "account", "retype", resident, "--staff", "1001",
                         "--type", "商业", "--reason", "住宅改为商铺", "--docs",
                         "id_card,business_licence", "--approver", "9001", "--pdf", str(pdf))
    assert code == 0, err
    assert "现为商业" in out and "用气性质变更 居民 → 商业（9001 批准）" in out
    text = pdf_text(pdf).replace(" ", "")
    assert "用气性质变更确认单" in text and "原客户类型" in text and "住宅改为商铺" in text
    code, out, err = run(capsys, "--db", url, "--json", "account", "show", resident,
                         "--staff", "1001")
    d = json.loads(out)
    assert d["customer_type"] == "commercial" and d["history"][-1]["change"] == "retype"
