import pytest

from counterdesk.errors import PrinterError, ValidationError
from counterdesk.print import printers
from counterdesk.print.escpos_doc import CN_OFF, CN_ON, Doc, decode, to_gbk_safe, width, wrap
from tests.conftest import closed_port


def test_width_counts_double_byte_as_two():
    assert width("abc") == 3
    assert width("缴费") == 4
    assert width("·×—") == 6
    assert width("￥1") == 3


def test_yen_and_rare_characters_are_made_printable():
    assert to_gbk_safe("¥5 𠮷") == "￥5 [U+20BB7]"
    data = Doc(32).line("合计 ¥5").bytes()
    assert CN_ON in data and CN_OFF in data
    assert "￥".encode("gb18030") in data and "¥".encode("gb18030") not in data


@pytest.mark.parametrize("cols", [32, 42, 48])
def test_no_line_exceeds_the_paper(cols):
    doc = Doc(cols)
    doc.line("燃气费" * 30).pair("一个很长的收费项目名称" * 3, "￥123,456.78").rule()
    for line in decode(doc.bytes()).split("\n"):
        assert width(line) <= cols
    assert all(width(x) <= cols for x in wrap("a燃" * 40, cols))


def test_send_over_tcp_and_failures(printer):
    printers.send(printer.uri, Doc(48).line("测试打印").cut().bytes())
    jobs = printer.wait_for(1)
    assert "测试打印" in decode(jobs[0])
    with pytest.raises(PrinterError) as e:
        printers.send(f"tcp://127.0.0.1:{closed_port()}", b"x", timeout=1)
    assert "不可用" in e.value.message


@pytest.mark.parametrize("uri", ["", "lpt1", "tcp://", "usb:zz:1", "ftp://x", "tcp://h:x"])
def test_bad_printer_uri(uri):
    with pytest.raises(ValidationError):
        printers.parse(uri)


def test_printer_uri_forms():
    assert printers.parse("tcp://10.0.0.5").host_port == ("10.0.0.5", 9100)
    p = printers.parse("tcp://h:9101?width=58")
    assert p.host_port == ("h", 9101) and p.columns == 32
    assert printers.parse("win32:XP-80C?width=80&dots=512").columns == 42
    assert printers.parse("serial:COM3?baud=19200").params["baud"] == "19200"
    assert printers.parse("usb:0416:5011").target == "0416:5011"
