"""The kernel object structs of firmware_stub/include (rtdef.h, rtobjects.h) have exactly the
layout rtdl_device/rt_layout.py gives the kernel: a module compiled by `rtdl build` prints
offsetof/sizeof of every listed field on the board, and each must match the table."""
import pytest

from rtdl import Board
from rtdl.build import build_module

from rtdl_device import rt_layout


def fields():
    for struct, (size, members) in sorted(rt_layout.STRUCTS.items()):
        yield struct, None, 0, size
        for path, offset, width in members:
            yield struct, path, offset, width


FIELDS = list(fields())


@pytest.fixture(scope="module")
def measured(tmp_path_factory, firmware):
    lines = []
    for struct, path, _offset, _size in FIELDS:
        if path is None:
            lines.append('    rt_kprintf("%s - 0 %%u\\n", (unsigned)sizeof(struct %s));\n'
                         % (struct, struct))
        else:
            lines.append('    rt_kprintf("%s %s %%u %%u\\n", (unsigned)offsetof(struct %s, %s), '
                         '(unsigned)sizeof(((struct %s *)0)->%s));\n'
                         % (struct, path, struct, path, struct, path))
    tmp = tmp_path_factory.mktemp("layout")
    src = tmp / "layout.c"
    src.write_text("#include <stddef.h>\n#include <rtthread.h>\n#include <rthw.h>\n"
                   "int main(void)\n{\n%s    return 0;\n}\n" % "".join(lines))
    result = Board(firmware).exec(str(build_module([src], tmp / "layout.mo")))
    assert result.exit_code == 0 and result.fault is None, result
    table = {}
    for line in result.output.splitlines():
        struct, path, offset, size = line.split()
        table[(struct, None if path == "-" else path)] = (int(offset), int(size))
    return table


@pytest.mark.parametrize("struct,path,offset,size", FIELDS,
                         ids=["%s.%s" % (f[0], f[1] or "sizeof") for f in FIELDS])
def test_layout_table_matches_the_compiler(measured, struct, path, offset, size):
    assert measured[(struct, path)] == (offset, size)


def test_the_fields_the_kernel_keeps_true_are_where_the_kernel_writes():
    # the few offsets the kernel writes into target memory, spelled out once more
    assert rt_layout.offset("rt_object", "name") == 0
    assert rt_layout.offset("rt_object", "type") == 8
    assert rt_layout.offset("rt_thread", "stat") == \
        rt_layout.offset("rt_thread", "sched_thread_ctx.stat") == 56
    assert rt_layout.offset("rt_thread", "current_priority") == \
        rt_layout.offset("rt_thread", "sched_thread_ctx.sched_thread_priv.current_priority")
    assert rt_layout.offset("rt_semaphore", "value") == 32
    with pytest.raises(KeyError):
        rt_layout.offset("rt_thread", "no_such_field")
