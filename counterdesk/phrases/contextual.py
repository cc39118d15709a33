"""Which phrases fit a moment of the workstation: :func:`contextual` (a ticket called,
a transfer, a refusal, a payment, an account opened, the finish)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .. import accounts, money
from ..db import Database
from ..errors import PermissionDenied, PrinterError
from ..staff import Actor
from .catalogue import REFUSAL_ALIASES, Catalogue, Item


# ----------------------------------------------------------------------------- context
@dataclass
class Prompt:
    """What the prompt panel should put in front of the clerk right now."""

    event: str
    situations: list[str]
    items: list[Item]
    apology: bool = False
    refusal: str = ""
    message: str = ""

    def to_dict(self) -> dict:
        return {"event": self.event, "situations": self.situations, "apology": self.apology,
                "refusal": self.refusal, "message": self.message,
                "items": [i.to_dict() for i in self.items]}

    @property
    def texts(self) -> list[str]:
        return [i.text for i in self.items]


def _items(cat: Catalogue, key: str) -> list[Item]:
    sec = cat.section(key)
    return list(sec.items) if sec else []


def _target(data: dict, lang: str) -> str:
    """Who takes the customer over: an explicit target, a window, or a service's window."""
    for k in ("target", "to_department"):
        if data.get(k):
            return str(data[k])
    w = data.get("to_window") or data.get("target_window")
    if w:
        return f"{w}号窗口" if lang != "en" else f"window {w}"
    name = data.get("to_service_name") or data.get("service_name")
    if name:
        return f"{name}窗口" if lang != "en" else f"the {name} window"
    return ""


def contextual(cat: Catalogue, event: str, data: dict | None = None, *,
               wait_apology_minutes: int = 15) -> Prompt:
    """The phrases for a moment of the work: ``ticket_called`` (greeting, the apology for
    waiting when the customer waited longer than ``wait_apology_minutes``, the enquiry),
    ``ticket_transferred`` (hand-over, ×× filled with the target when known),
    ``rule_refused`` (explanation by refusal kind, data ``{"kind", "message"}``),
    ``payment_committed`` (cash received and change said aloud, thanks),
    ``account_opened`` (forms of address with the holder's surname),
    ``special_group`` (helping the elderly and disabled, a louder, slower voice),
    ``ticket_finished`` (farewell), or any section key (its items)."""
    data = dict(data or {})
    if event == "ticket_called":
        waited = data.get("waited_seconds") or 0
        try:
            waited = float(waited)
        except (TypeError, ValueError):
            waited = 0.0
        apology = waited > wait_apology_minutes * 60
        # the phrase for this moment first (issue 18.19): a hall's own greeting added by
        # the manager does not push the apology down
        keys = (["to_waiting"] if apology else []) + ["greeting", "enquiry"]
        items = [i for k in keys for i in _items(cat, k)]
        return Prompt(event, keys, items, apology=apology)
    if event == "ticket_transferred":
        target = _target(data, cat.lang)
        items = []
        for it in _items(cat, "handover"):
            if target and "××" in it.text:
                it = dataclasses.replace(it, text=it.text.replace("××部门", target)
                                         .replace("×× department", target)
                                         .replace("××", target), _index=None)
            items.append(it)
        return Prompt(event, ["handover"], items)
    if event == "rule_refused":
        kind = str(data.get("kind", ""))
        expl = cat.explanation(kind)
        items = [expl] if expl else []
        for it in _items(cat, "euphemism"):
            if it.id in ("euphemism.2", "euphemism.4"):  # 我理解……, 我能做到的是……
                items.append(it)
        return Prompt(event, ["explain", "euphemism"], items,
                      refusal=REFUSAL_ALIASES.get(kind.lower(), "general"),
                      message=str(data.get("message", "")))
    if event == "ticket_finished":
        if data.get("status") == "no_show":  # nobody to see off
            return Prompt(event, [], [])
        return Prompt(event, ["farewell"], _items(cat, "farewell"))
    if event == "payment_committed":
        # 唱收唱付: say the money received and the change aloud, then thank the customer
        items = []
        cash = [t for t in data.get("tenders") or [] if t.get("method") == "cash"]
        if cash:
            got = sum(int(t.get("tendered_fen") or 0) for t in cash)
            change = int(data.get("change_fen") or 0)
            zh = f"收您 {money.fmt(got, group=False)} 元" + (f"，找您 {money.fmt(change, group=False)} 元" if change else "") + \
                "，请您收好。"
            en = f"Received {money.fmt(got, group=False)} yuan" + \
                (f", your change is {money.fmt(change, group=False)} yuan" if change else "") + ", here you are."
            items.append(Item(id="payment.cash", section="thanks", kind="situation",
                              text=en if cat.lang == "en" else zh))
        thanks = {i.id: i for i in _items(cat, "thanks")}
        items += [thanks[k] for k in ("thanks.6", "thanks.1") if k in thanks]
        return Prompt(event, ["thanks"], items)
    if event == "account_opened":
        # 003 第六条(二): knowing the customer's surname, say “××先生/小姐/女士”
        name = surname(str(data.get("holder_name", ""))) \
            if data.get("holder_kind", "person") == "person" else ""
        items = []
        for it in _items(cat, "address"):
            if "××" in it.text:
                if not name:
                    continue
                shown = name if cat.lang != "en" else _pinyin_name(name)
                it = dataclasses.replace(it, text=it.text.replace("××", shown), _index=None)
            items.append(it)
        return Prompt(event, ["address"], items)
    if event == "special_group":
        # 001 二.9: the elderly, disabled and customers with limited mobility
        items = [i for i in _items(cat, "reception") if i.id == "reception.9"]
        items += [i for i in _items(cat, "voice") if i.id == "voice.6"]
        return Prompt(event, ["reception"], items)
    if cat.section(event) is not None:
        return Prompt(event, [event], _items(cat, event))
    if event in REFUSAL_ALIASES or event == "general":
        return contextual(cat, "rule_refused", {"kind": event, **data})
    return Prompt(event, [], [])


def refusal_kind(exc: BaseException) -> str:
    """The explanation kind for a service's refusal, for ``bench.rule_refused(kind, msg)``:
    arrears (``data["arrears_fen"]``), approval (permission), documents, day_closed,
    printer, else general."""
    data = getattr(exc, "data", None) or {}
    fld = (getattr(exc, "field", None) or "").lower()
    zh = getattr(exc, "zh", "") or ""
    if data.get("arrears_fen") or "arrears" in fld or "欠费" in zh:
        return "arrears"
    if isinstance(exc, PrinterError):
        return "printer"
    if "已日结" in zh or data.get("day_closed") or fld == "day":
        return "day_closed"
    if isinstance(exc, PermissionDenied) or "approval" in fld or "approver" in fld:
        return "approval"
    if fld in ("documents", "document", "id_number", "id_type"):
        return "documents"
    return "general"


COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                     "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫")


def surname(name: str) -> str:
    """The surname of a Chinese personal name (two characters for 欧阳, 司马…)."""
    name = (name or "").strip()
    if not name or not ("\u4e00" <= name[0] <= "\u9fff" or ord(name[0]) > 0x20000):
        return ""
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]


def _pinyin_name(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


def for_account(db: Database, actor: Actor, cat: Catalogue, account_no: str) -> Prompt:
    """The forms of address for the holder of ``account_no`` (the account service reads it)."""
    view = accounts.show(db, actor, account_no)
    return contextual(cat, "account_opened", {"holder_name": view.holder.name,
                                              "holder_kind": view.holder.kind,
                                              "account_no": account_no})
