"""Customer types as the hall uses them (issue 15.7) on screen: the opening form's combo
lists the hall's types; the manager edits them on the hall rules screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counterdesk import accounts, policy
from tests.helpers.hall_policy import set_rule
from tests.services.test_accounts import person

pytestmark = pytest.mark.usefixtures("qapp")
KEY = "accounts.customer_types"


def test_opening_form_lists_the_halls_types_and_saves_one(qtbot, demo_db, clerk):
    from counterdesk.settings import Settings
    from counterdesk.ui.accounts.forms import OpeningController, OpeningFormView
    from counterdesk.ui.shell.bus import Workbench

    set_rule(demo_db, KEY, "居民, 商业, public=公福, 工业, 采暖, school=学校")
    bench = Workbench(demo_db, clerk, Settings())
    view = OpeningFormView()
    qtbot.addWidget(view)
    ctl = OpeningController(bench, view)
    combo = view.edits["customer_type"]
    assert combo.count() == 5   # the usual five until the hall's arrive
    qtbot.waitUntil(lambda: combo.count() == 6, timeout=10_000)
    items = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    assert items == [("resident", "居民"), ("commercial", "商业"), ("public", "公福"),
                     ("industrial", "工业"), ("heating", "采暖"), ("school", "学校")]
    d = person()
    for f in ("name", "id_number", "phone", "district", "street", "community", "building",
              "unit", "room", "meter_no"):
        view.edits[f].setText(d[f])
    for code in ("id_card", "property"):
        view.docs[code].setChecked(True)
    combo.setCurrentIndex(combo.findData("school"))
    with qtbot.waitSignal(bench.account_selected, timeout=10_000):
        ctl.save()
    v = accounts.show(demo_db, clerk, ctl.result.account_no)
    assert v.customer_type == "school" and v.to_dict()["customer_type_name"] == "学校"


def test_manager_edits_the_types_on_the_hall_rules_screen(qtbot, demo_db, manager):
    from counterdesk.ui.policy import PolicyScreen

    dlg = PolicyScreen(demo_db, manager)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)
    row = next(n for n, r in enumerate(dlg.model.rows) if r.key == KEY)
    dlg.table.selectRow(row)
    assert dlg.value.text() == "resident=居民, commercial=商业, industrial=工业, public=公服, " \
                               "heating=采暖"
    assert dlg.model.data(dlg.model.index(row, 1)) == "居民、商业、工业、公服、采暖"
    assert "code=name" in dlg.hint.text() or "代码=名称" in dlg.hint.text()
    # dropping 采暖 that the demo's GAS-N still names: refused under the field, nothing changed
    dlg.value.setText("居民, 商业, 工业, 公服")
    qtbot.keyClick(dlg.value, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)
    assert "GAS-N" in dlg.message.text() and "采暖" in dlg.message.text()
    assert policy.values(demo_db, manager.hall_id)[KEY].endswith("heating=采暖")
    dlg.value.setText("居民, 商业, 工业, public=公福, 采暖, school=学校")
    qtbot.keyClick(dlg.value, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)
    assert policy.values(demo_db, manager.hall_id)[KEY] == (
        "resident=居民, commercial=商业, industrial=工业, public=公福, heating=采暖, school=学校")
    qtbot.waitUntil(lambda: "学校" in (dlg.model.data(dlg.model.index(row, 1)) or ""),
                    timeout=10_000)
    assert dlg.model.data(dlg.model.index(row, 1)) == "居民、商业、工业、公福、采暖、学校"
