"""What the work-order tab runs on a worker thread (``widgets.jobs``): plain data in,
plain data out, no widgets. A change of an order returns the order and the clerk's list
as it is after it, so the screen shows both from one job."""

from __future__ import annotations

from pathlib import Path

from ... import orders, policy, workdays


def calendar(db, actor) -> workdays.Calendar:
    """The hall's working days (its policy's extra holidays and working days)."""
    q = policy.load_quality_rules(db, actor.hall_id)
    return workdays.calendar(q.extra_holidays, q.extra_workdays)


def my_orders(db, actor) -> list[dict]:
    return [v.to_dict() for v in orders.list_orders(db, actor)]


def record(db, actor, form: dict) -> tuple[orders.OrderView, list[dict]]:
    v = orders.add_order(db, actor, **form, calendar=calendar(db, actor))
    return v, my_orders(db, actor)


def step(db, actor, action: str, number: str, form: dict) -> tuple[orders.OrderView, list]:
    """One step of an order: dispatch, arrive, result, close or followup."""
    note = form.get("note", "")
    if action == "dispatch":
        v = orders.dispatch(db, actor, number, to_staff_no=form["to"], note=note)
    elif action == "arrive":
        v = orders.arrive(db, actor, number, note=note)
    elif action == "result":
        v = orders.record_result(db, actor, number, form["result"], note=note)
    elif action == "close":
        v = orders.close(db, actor, number, note=note, calendar=calendar(db, actor))
    elif action == "followup":
        v = orders.follow_up(db, actor, number, form["verdict"], note=note,
                             calendar=calendar(db, actor))
    else:
        raise ValueError(action)
    return v, my_orders(db, actor)


def print_slip(db, actor, settings, number: str) -> orders.OrderView:
    from ...print import printers
    from ...print.order_slip import order_slip

    v = orders.get_order(db, actor, number)
    info = orders.hall_info(db, actor)
    p = printers.from_settings(settings)
    printers.send(p, order_slip(v, info["hall_name"], hotline=info["hotline"],
                                staff_no=actor.staff_no, window=actor.window,
                                columns=p.columns),
                  job_name=f"工单 {v.number}")
    return v


def board(db, actor, kind: str, overdue_only: bool) -> list[dict]:
    return [v.to_dict() for v in orders.list_orders(db, actor, scope="all",
                                                    kinds_=[kind] if kind else None,
                                                    overdue_only=overdue_only)]


def export_report(db, actor, folder: str | Path) -> tuple[Path, Path]:
    from ...print import orders_report

    rep = orders.report(db, actor)
    folder = Path(folder)
    stem = f"orders_{rep['from']}_{rep['to']}"
    return (orders_report.write_pdf(rep, folder / f"{stem}.pdf"),
            orders_report.write_csv(rep, folder / f"{stem}.csv"))


def inspections_due(db, actor, area: dict, only_overdue: bool) -> list[dict]:
    return [r.to_dict() for r in orders.inspections_due(db, actor, **area,
                                                        only_overdue=only_overdue)]


def notices(db, actor) -> list[dict]:
    return [n.to_dict() for n in orders.list_notices(db, actor)]


def add_notice(db, actor, form: dict):
    n = orders.add_notice(db, actor, **form)
    return n, notices(db, actor)


def export_affected(db, actor, number: str, path: str | Path) -> tuple[int, Path]:
    rows = orders.affected_accounts(db, actor, number, full_phones=actor.can_reveal)
    return len(rows), orders.write_accounts_csv(rows, path)
