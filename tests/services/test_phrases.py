"""The phrases service: seed data, search, edits by a manager, restore, import/export, context."""

import json
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from counterdesk import audit, phrases, resources_access
from counterdesk.cli import main
from counterdesk.errors import NotFound, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent

SEEDS = Path("/work/shared/seeds")


# ------------------------------------------------------------------ the data files
def test_both_languages_have_the_same_items_in_the_same_order():
    zh, en = phrases.defaults("zh_CN"), phrases.defaults("en")
    assert [i.id for i in zh.items()] == [i.id for i in en.items()]
    assert [(s.key, s.kind) for s in zh.sections] == [(s.key, s.kind) for s in en.sections]
    for a, b in zip(zh.items(), en.items(), strict=True):
        assert bool(a.instead) == bool(b.instead) and a.refusal == b.refusal, a.id
        assert bool(a.title) == bool(b.title) and bool(a.note) == bool(b.note), a.id
    assert all(i.text.strip() for i in en.items())


def test_every_situation_of_the_issue_is_there():
    cat = phrases.defaults("zh_CN")
    for key in ("greeting", "enquiry", "thanks", "answering", "listening", "asking_to_wait",
                "to_waiting", "apology", "when_thanked", "when_apologised", "not_heard",
                "farewell", "interrupting", "handover", "requests", "address", "euphemism"):
        sec = cat.section(key)
        assert sec is not None and sec.kind == "situation" and sec.items, key
    assert len(cat.section("forbidden").items) == 15           # 003 第八条 (一)–(十五)
    assert len(cat.section("prohibitions").items) == 6         # 000 6.1 六不准
    assert len(cat.section("danger_points").items) == 11       # 001 五
    assert (cat.rate_min, cat.rate_max) == (120, 140)


def test_phrases_are_quoted_from_the_seeds():
    """Every default situation phrase, forbidden phrase and rule is in a seed verbatim
    (ignoring punctuation), except the parts marked as written from them."""
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    text = "".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))

    def norm(s):
        return "".join(ch for ch in s if ch.isalnum() or ch in "×…")

    corpus = norm(text).replace("×", "")
    cat = phrases.defaults("zh_CN")
    for sec in cat.sections:
        if sec.key in ("explain", "address", "euphemism"):
            continue
        for item in sec.items:
            body = norm(item.text).replace("×", "").replace("…", "")
            if sec.key == "window_rules" and body.startswith(("表情", "眼神", "做到")):
                body = body.split("表情")[-1].split("眼神")[-1]
            assert body in corpus, (item.id, item.text)
            if item.title and sec.key == "prohibitions":
                assert norm(item.title) in corpus
    assert "我能做到的是" in corpus and "代替说不" in corpus


def test_every_forbidden_phrase_has_a_replacement_without_forbidden_words():
    for lang in phrases.LANGS:
        cat = phrases.defaults(lang)
        bad = [b for b in cat.forbidden_phrases() if len(b) >= 3]
        for item in cat.section("forbidden").items:
            assert item.instead and item.instead != item.text
            assert not any(b in item.instead for b in bad), item.id


def test_resource_is_read_through_importlib():
    data = resources_access.read_toml("phrases", "zh_CN.toml")
    assert data["meta"]["language"] == "zh_CN"


# ------------------------------------------------------------------ search
@pytest.mark.parametrize("query, expected", [
    ("dbq", "对不起，让您久等了"), ("nh", "您好"), ("久等", "对不起，让您久等了"),
    ("zjhy", "再见，欢迎下次再来。"), ("wnzd", "我能做到的是……"), ("ninhao", "您好"),
])
def test_search_by_characters_and_pinyin_initials(query, expected):
    found = phrases.defaults("zh_CN").search(query)
    assert expected in [i.text for i in found][:5]


def test_search_finds_forbidden_phrases_and_their_replacement():
    found = phrases.defaults("zh_CN").search("bzd")
    assert found[0].forbidden and "不知道" in found[0].text and found[0].instead
    assert phrases.defaults("en").search("sorry")
    assert phrases.defaults("zh_CN").search("   ") == []


# ------------------------------------------------------------------ edits
def test_manager_edits_are_seen_by_every_window_and_audited(demo_db, manager, clerk):
    before = phrases.revision(demo_db, "DEMO" if False else manager.hall_code)
    item = phrases.edit_item(demo_db, manager, "greeting.1", text="您好，欢迎光临")
    assert item.state == "edited"
    cat = phrases.load(demo_db, clerk.hall_code, "zh_CN")
    assert cat.get("greeting.1").text == "您好，欢迎光临"
    assert cat.get("greeting.1").state == "edited"
    assert phrases.revision(demo_db, clerk.hall_code) > before
    assert phrases.load(demo_db, clerk.hall_code, "en").get("greeting.1").text == "Hello"
    with demo_db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "phrase.edited")).scalar_one()
        assert ev.staff_no == manager.staff_no and "欢迎光临" in ev.payload
    assert audit.verify(demo_db).ok


def test_clerk_may_not_edit(demo_db, clerk):
    with pytest.raises(PermissionDenied) as exc:
        phrases.edit_item(demo_db, clerk, "greeting.1", text="hi")
    assert "主任" in exc.value.zh
    assert phrases.load(demo_db, clerk.hall_code).get("greeting.1").text == "您好"


@pytest.mark.parametrize("section, fields, field, words", [
    ("greeting", {"text": "   "}, "text", "不能为空"),
    ("greeting", {"text": "好" * 201}, "text", "太长"),
    ("nowhere", {"text": "您好"}, "section", "未知的情境"),
    ("forbidden", {"text": "“走开”"}, "instead", "应说"),
    ("forbidden", {"text": "“走开”", "instead": "“走开”"}, "instead", "相同"),
    ("farewell", {"text": "快下班了，明天再来吧"}, "text", "禁忌用语"),
    ("forbidden", {"text": "“走开”", "instead": "我不知道"}, "instead", "禁忌用语"),
    ("greeting", {"text": "您好", "note": "x" * 501}, "note", "说明太长"),
])
def test_validation_refuses_with_a_message(demo_db, manager, section, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        phrases.add_item(demo_db, manager, section, **fields)
    assert exc.value.field == field and words in exc.value.zh and exc.value.en
    assert phrases.revision(demo_db, manager.hall_code) == 0  # nothing written


def test_add_remove_restore(demo_db, manager):
    new = phrases.add_item(demo_db, manager, "forbidden", text="“你自己去问”",
                           instead="我帮您问一下，请您稍等。")
    assert new.id == "forbidden.u1"
    cat = phrases.load(demo_db, manager.hall_code)
    assert cat.get("forbidden.u1").instead == "我帮您问一下，请您稍等。"
    assert "你自己去问" in cat.forbidden_phrases()
    phrases.edit_item(demo_db, manager, "forbidden.u1", text="“你自己去问吧”",
                      instead="我帮您问一下。")
    assert phrases.load(demo_db, manager.hall_code).get("forbidden.u1").text == "“你自己去问吧”"
    phrases.remove_item(demo_db, manager, "requests.2")
    phrases.remove_item(demo_db, manager, "forbidden.u1")
    cat = phrases.load(demo_db, manager.hall_code)
    assert cat.get("requests.2") is None and cat.get("forbidden.u1") is None
    with pytest.raises(NotFound):
        phrases.remove_item(demo_db, manager, "requests.2")
    phrases.edit_item(demo_db, manager, "farewell.1", text="再见，您慢走。")
    assert phrases.restore_defaults(demo_db, manager, "farewell.1") == 1
    cat = phrases.load(demo_db, manager.hall_code)
    assert cat.get("farewell.1").text == "再见，欢迎下次再来。" and cat.get("requests.2") is None
    assert phrases.restore_defaults(demo_db, manager) == 1
    cat = phrases.load(demo_db, manager.hall_code)
    assert [i.text for i in cat.section("requests").items] == ["请稍后", "打扰了"]
    kinds = [k for k in _audit_kinds(demo_db) if k.startswith("phrase.")]
    assert kinds == ["phrase.added", "phrase.edited", "phrase.removed", "phrase.removed",
                     "phrase.edited", "phrase.restored", "phrase.restored"]


def _audit_kinds(db):
    with db.read() as s:
        return list(s.execute(select(AuditEvent.kind).order_by(AuditEvent.seq)).scalars())


def test_export_import_round_trip(demo_db, manager):
    cat = phrases.load(demo_db, manager.hall_code)
    data = tomllib.loads(phrases.export_toml(cat))
    sec = next(s for s in data["section"] if s["key"] == "thanks")
    sec["items"][0]["text"] = "谢谢您"
    sec["items"].append({"text": "感谢您的耐心"})
    sec["items"] = [i for i in sec["items"] if i.get("id") != "thanks.7"]
    summary = phrases.import_data(demo_db, manager, data)
    assert summary == {"lang": "zh_CN", "set": 1, "add": 1, "hide": 1}
    cat = phrases.load(demo_db, manager.hall_code)
    texts = [i.text for i in cat.section("thanks").items]
    assert texts[0] == "谢谢您" and texts[-1] == "感谢您的耐心" and "给您添麻烦了" not in texts
    # importing the defaults back undoes everything
    assert phrases.import_data(demo_db, manager, phrases.export_data(phrases.defaults())) == \
        {"lang": "zh_CN", "set": 0, "add": 0, "hide": 0}


def test_import_refuses_bad_files_before_writing(demo_db, manager):
    data = phrases.export_data(phrases.defaults())
    next(s for s in data["section"] if s["key"] == "forbidden")["items"][0]["instead"] = ""
    with pytest.raises(ValidationError) as exc:
        phrases.import_data(demo_db, manager, data)
    assert "forbidden" in exc.value.zh and "第 1 条" in exc.value.zh
    with pytest.raises(ValidationError):
        phrases.import_data(demo_db, manager, "not = [toml")
    with pytest.raises(ValidationError):
        phrases.import_data(demo_db, manager, phrases.export_data(phrases.defaults("en")))
    assert phrases.revision(demo_db, manager.hall_code) == 0


# ------------------------------------------------------------------ context
def test_contextual_phrases():
    zh = phrases.defaults("zh_CN")
    called = phrases.contextual(zh, "ticket_called", {"waited_seconds": 60},
                                wait_apology_minutes=15)
    assert called.texts[0] == "您好" and not called.apology
    assert "对不起，让您久等了" not in called.texts and "您需要办理什么业务" in called.texts
    late = phrases.contextual(zh, "ticket_called", {"waited_seconds": 15 * 60 + 1},
                              wait_apology_minutes=15)
    assert late.apology and late.texts[:2] == ["对不起，让您久等了", "您好"]
    moved = phrases.contextual(zh, "ticket_transferred", {"to_window": 3})
    assert moved.texts == ["请稍等！我将与3号窗口联系，由他为您进行解释（答复）"]
    refused = phrases.contextual(zh, "rule_refused", {"kind": "arrears", "message": "有欠费"})
    assert "结清欠费" in refused.texts[0] and "我能做到的是……" in refused.texts
    assert refused.message == "有欠费" and refused.refusal == "arrears"
    other = phrases.contextual(zh, "rule_refused", {"kind": "weird"})
    assert other.refusal == "general" and "我能做到的是" in other.texts[0]
    assert phrases.contextual(zh, "ticket_finished").texts == ["再见，欢迎下次再来。"]
    assert phrases.contextual(zh, "ticket_finished", {"status": "no_show"}).items == []
    assert phrases.contextual(zh, "thanks").texts[0] == "谢谢"
    assert phrases.contextual(zh, "nonsense").items == []
    helped = phrases.contextual(zh, "special_group", {"groups": ["old"]})
    assert "搀扶" in helped.texts[0] and "语速放慢" in helped.texts[1]
    en = phrases.defaults("en")
    assert phrases.contextual(en, "ticket_transferred", {"target": "Billing"}).texts == [
        "One moment please! I will contact the Billing, who will explain (answer) it for you"]


def test_seed_demo_reports_counts(demo_db):
    assert phrases.seed_demo(demo_db, "X") == {"zh_CN": 115, "en": 115}


# ------------------------------------------------------------------ command line
@pytest.fixture
def url(tmp_path, capsys):
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    return u


def test_cli_list_search_export_import_reset(url, capsys, tmp_path, monkeypatch):
    assert main(["--db", url, "phrases", "list", "--section", "forbidden"]) == 0
    out = capsys.readouterr().out
    assert "不知道" in out and "应说" in out
    assert main(["--db", url, "--json", "phrases", "search", "dbq"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert any(i["text"] == "对不起，让您久等了" for i in found)
    assert main(["--db", url, "phrases", "search", "qqqqqq"]) == 1
    assert "没有找到" in capsys.readouterr().out
    assert main(["--db", url, "--lang", "en", "phrases", "list", "--section", "greeting"]) == 0
    assert "Hello" in capsys.readouterr().out
    f = tmp_path / "p.toml"
    assert main(["--db", url, "phrases", "export", str(f)]) == 0
    capsys.readouterr()
    f.write_text(f.read_text(encoding="utf-8").replace('"您好"', '"您好，请坐"', 1),
                 encoding="utf-8")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    assert main(["--db", url, "phrases", "import", str(f), "--staff", "1001"]) != 0
    assert "主任" in capsys.readouterr().err
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    assert main(["--db", url, "--json", "phrases", "import", str(f), "--staff", "9001"]) == 0
    assert json.loads(capsys.readouterr().out)["set"] == 1
    assert main(["--db", url, "--json", "phrases", "list", "--section", "greeting"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sections"][0]["items"][0]["text"] == "您好，请坐"
    assert main(["--db", url, "phrases", "reset", "--staff", "9001"]) == 0
    assert "恢复默认" in capsys.readouterr().out
    assert main(["--db", url, "phrases", "list", "--section", "nope"]) != 0
    err = capsys.readouterr().err
    assert "greeting" in err and err.count("\n") == 1


def test_refusal_kind_of_service_errors():
    from counterdesk.errors import Conflict, PrinterError

    assert phrases.refusal_kind(Conflict("户号 1 尚有欠费 ￥3.00", "arrears",
                                         data={"arrears_fen": 300})) == "arrears"
    assert phrases.refusal_kind(PermissionDenied("需要主任授权", "needs approval")) == "approval"
    assert phrases.refusal_kind(PrinterError("打印机离线", "offline")) == "printer"
    assert phrases.refusal_kind(Conflict("2026-11-22 已日结，不能再收费", "closed")) == "day_closed"
    assert phrases.refusal_kind(ValidationError("缺少证件", "no id", field="documents")) == \
        "documents"
    assert phrases.refusal_kind(ValueError("x")) == "general"


def test_payment_prompt_says_the_amounts():
    zh = phrases.defaults("zh_CN")
    p = phrases.contextual(zh, "payment_committed", {
        "tenders": [{"method": "cash", "amount_fen": 8750, "tendered_fen": 10000}],
        "change_fen": 1250})
    assert p.texts == ["收您 100.00 元，找您 12.50 元，请您收好。", "多谢您的合作", "谢谢"]
    card = phrases.contextual(zh, "payment_committed", {"tenders": [{"method": "card"}]})
    assert card.texts == ["多谢您的合作", "谢谢"]
    en = phrases.contextual(phrases.defaults("en"), "payment_committed", {
        "tenders": [{"method": "cash", "tendered_fen": 5000}], "change_fen": 0})
    assert en.texts[0] == "Received 50.00 yuan, here you are."


def test_address_by_surname(demo_db, clerk):
    zh = phrases.defaults("zh_CN")
    p = phrases.contextual(zh, "account_opened", {"holder_name": "欧阳小明"})
    assert p.texts == ["先生", "女士", "欧阳先生／小姐／女士", "那位先生／那位小姐"]
    org = phrases.contextual(zh, "account_opened", {"holder_name": "某某燃气用户单位",
                                                    "holder_kind": "organisation"})
    assert "××" not in " ".join(org.texts) and len(org.texts) == 3
    en = phrases.contextual(phrases.defaults("en"), "account_opened", {"holder_name": "薛楠"})
    assert "Mr / Miss / Ms Xue" in en.texts
    assert phrases.surname("Smith") == "" and phrases.surname("张三") == "张"
    from counterdesk import accounts

    hit = accounts.search(demo_db, clerk, "0100000033").hits
    if hit:
        p = phrases.for_account(demo_db, clerk, zh, "0100000033")
        assert p.texts[2].endswith("先生／小姐／女士") and "××" not in p.texts[2]


def test_the_apology_comes_before_a_halls_own_greeting(demo_db, manager):
    """Issue 18.19: after a long wait the apology is the first phrase, also when the
    manager added a greeting of the hall's own."""
    phrases.add_item(demo_db, manager, "greeting", text="欢迎光临燃气营业厅")
    cat = phrases.load(demo_db, manager.hall_code)
    late = phrases.contextual(cat, "ticket_called", {"waited_seconds": 20 * 60})
    assert late.texts[0] == "对不起，让您久等了" and "欢迎光临燃气营业厅" in late.texts
    soon = phrases.contextual(cat, "ticket_called", {"waited_seconds": 60})
    assert "对不起，让您久等了" not in soon.texts
