"""The account file (户号档案) as HTML for the account tab, in the interface language:
labels, holder changes and payment states translated, timestamps as people read them."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication

from ... import accounts


def _when(value) -> str:
    """A timestamp for people: "2026-11-23 10:05" (no raw ISO "T", no seconds)."""
    text = str(value or "")
    return text.replace("T", " ")[:16] if len(text) > 10 else text


def _file_labels() -> dict[str, str]:
    """The account file's words in the interface language (context "AccountFile")."""
    t = QCoreApplication
    return {
        "account_no": t.translate("AccountFile", "Account no."),
        "status": t.translate("AccountFile", "Status"),
        "holder": t.translate("AccountFile", "Holder"),
        "id": t.translate("AccountFile", "ID"),
        "phone": t.translate("AccountFile", "Phone"),
        "type": t.translate("AccountFile", "Type"),
        "address": t.translate("AccountFile", "Address"),
        "meter": t.translate("AccountFile", "Meter"),
        "contracts": t.translate("AccountFile", "Contracts"),
        "contract_text": t.translate("AccountFile", "supply %1; safety %2"),
        "opened": t.translate("AccountFile", "Opened"),
        "opened_text": t.translate("AccountFile", "%1 by clerk %2"),
        "arrears": t.translate("AccountFile", "Arrears"),
        "history": t.translate("AccountFile", "Holder history"),
        "until_now": t.translate("AccountFile", "until now"),
        "stops": t.translate("AccountFile", "Supply stops"),
        "still_stopped": t.translate("AccountFile", "still stopped"),
        "stop_by": t.translate("AccountFile", "stopped by %1"),
        "resumed_by": t.translate("AccountFile", "resumed by %1, approved by %2"),
        "inspection": t.translate("AccountFile", "inspection %1"),
        "bills": t.translate("AccountFile", "Bills"),
        "overdue": t.translate("AccountFile", "overdue"),
        "payments": t.translate("AccountFile", "Payments"),
        "balance": t.translate("AccountFile", "Balance %1"),
        "open": t.translate("AccountFile", "opened"),
        "rename": t.translate("AccountFile", "renamed"),
        "transfer": t.translate("AccountFile", "transferred"),
        "close": t.translate("AccountFile", "closed"),
        "retype": t.translate("AccountFile", "type changed"),
        "completed": t.translate("AccountFile", "paid"),
        "voided": t.translate("AccountFile", "voided"),
        "refunded": t.translate("AccountFile", "refunded"),
        "partly_refunded": t.translate("AccountFile", "partly refunded"),
    }


def _stops_html(stops: list[dict], words: dict, table: str) -> list[str]:
    """The safety stops (暂停供气 … 恢复供气), oldest first; nothing when there were none."""
    if not stops:
        return []
    e = html.escape
    out = [f"<h4>{e(words['stops'])}</h4>{table}"]
    for x in stops:
        if x["until"]:
            end = words["resumed_by"].replace("%1", x["resumed_by"] or "").replace(
                "%2", x["approved_by"] or "—")
            ref = words["inspection"].replace("%1", x["inspection_ref"] or "—")
        else:
            end, ref = "", ""
        out.append(f"<tr><td>{e(_when(x['from']))}</td>"
                   f"<td>{e(_when(x['until']) or words['still_stopped'])}</td>"
                   f"<td>{e(x['reason'] or '')}</td>"
                   f"<td>{e(words['stop_by'].replace('%1', x['by'] or '—'))}</td>"
                   f"<td>{e(end)}</td><td>{e(ref)}</td></tr>")
    out.append("</table>")
    return out


def file_html(d: dict, ledger: dict) -> str:
    """The account file as HTML (masked values only), in the interface language."""
    e = html.escape
    L = _file_labels()  # noqa: N806 - a table of words
    h = d["holder"]
    contracts = L["contract_text"].replace("%1", d["supply_contract_no"] or "—").replace(
        "%2", d["safety_contract_no"] or "—")
    opened = L["opened_text"].replace("%1", _when(d["opened_at"])).replace(
        "%2", str(d["opened_by"]))
    rows = [(L["account_no"], d["account_no"]), (L["status"], d["status_name"]),
            (L["holder"], h["name"]), (L["id"], f"{h['id_type_name']} {h['id_masked']}"),
            (L["phone"], h["phone_masked"]), (L["type"], d["customer_type_name"]),
            (L["address"], d["address"]), (L["meter"], f"{d['meter_no']} {d['meter_type']}"),
            (L["contracts"], contracts), (L["opened"], opened),
            (L["arrears"], accounts.fen_text(d["arrears_fen"]))]
    table = "<table border=1 cellspacing=0 cellpadding=2>"
    out = ["<table>"] + [f"<tr><th align=left>{e(k)}</th><td>{e(str(v))}</td></tr>"
                         for k, v in rows] + ["</table>"]
    out.append(f"<h4>{e(L['history'])}</h4>{table}")
    for x in d["history"]:
        if x["change"] == "retype":   # 用气性质变更: from → to (approved by), the reason
            out.append(f"<tr><td>{e(_when(x['valid_from']))}</td><td></td>"
                       f"<td>{e(L['retype'])}</td><td>{e(accounts.retype_text(x))}</td>"
                       f"<td>{e(x['reason'])}</td><td>{e(x['staff_no'])}</td></tr>")
            continue
        out.append(f"<tr><td>{e(_when(x['valid_from']))}</td>"
                   f"<td>{e(_when(x['valid_to']) or L['until_now'])}</td>"
                   f"<td>{e(L.get(x['change'], x['change']))}</td>"
                   f"<td>{e(x['holder']['name'])}</td><td>{e(x['holder']['id_masked'])}</td>"
                   f"<td>{e(x['staff_no'])}</td></tr>")
    out.append("</table>")
    out.extend(_stops_html(d.get("suspensions") or [], L, table))
    out.append(f"<h4>{e(L['bills'])}</h4>{table}")
    for b in ledger["bills"]:
        out.append(f"<tr><td>{b['period']}</td><td>{e(b['volume'])}</td>"
                   f"<td>{accounts.fen_text(b['amount_fen'])}</td>"
                   f"<td>{accounts.fen_text(b['open_fen'])}</td><td>{b['due_date']}</td>"
                   f"<td>{e(L['overdue']) if b['overdue'] else ''}</td></tr>")
    out.append(f"</table><h4>{e(L['payments'])}</h4>{table}")
    for p in ledger["payments"]:
        out.append(f"<tr><td>{e(_when(p['at']))}</td><td>{e(p['receipt_no'])}</td>"
                   f"<td>{accounts.fen_text(p['total_fen'])}</td>"
                   f"<td>{e(L.get(p['status'], p['status']))}</td></tr>")
    balance = L["balance"].replace("%1", accounts.fen_text(ledger["balance_fen"]))
    out.append(f"</table><p>{e(balance)}</p>")
    return "".join(out)
