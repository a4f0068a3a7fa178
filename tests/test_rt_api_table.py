"""README's table of the RT-Thread API for modules stays true to the firmware: every function
of a *yes* or *partial* row is exported (RTMSymTab), every function of a *no* row is not, so
adding or dropping an export without updating the table fails here."""
import os
import re

from conftest import ROOT
from rtdl import firmware_info


def api_rows():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    section = text.split("## RT-Thread API for modules", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] in ("yes", "partial", "no"):
            rows.append((cells[0], re.findall(r"`(\w+)`", cells[1]), cells[2]))
    return rows


def test_the_api_table_matches_the_firmware_exports(firmware):
    exported = set(e["name"] for e in firmware_info.describe(firmware)["exports"])
    rows = api_rows()
    assert len(rows) >= 10
    wrong = []
    for family, names, status in rows:
        if family == "`struct rt_thread`":
            continue                # fields, not functions
        assert names, family
        for name in names:
            if (name in exported) != (status != "no"):
                wrong.append("%s: %s is %s but the table says %s" % (
                    family, name, "exported" if name in exported else "not exported", status))
    assert wrong == []


def test_every_struct_rt_thread_field_in_the_table_is_in_the_layout():
    from rtdl_device import rt_layout
    for family, names, status in api_rows():
        if family == "`struct rt_thread`":
            for name in names:
                rt_layout.offset("rt_thread", name)
            return
    raise AssertionError("no struct rt_thread row")
