"""The firmware's unwind rows (port/rtdl_board/unwind.py), from its .debug_frame: what
libcguard walks to find the function a module called when libc stores into its state."""
from rtdl_board import libcguard, unwind


def _function(board, name):
    return next(f for f in board._functions if f[2] == name)


def test_the_rows_cover_libcs_functions_and_follow_sp(board):
    rows = board.libc_guard.unwinder().rows
    assert rows == sorted(rows) and len(rows) > 1000
    assert None not in {row[2] for row in rows}       # the CFA is sp-based throughout
    for name in ("memset", "memmove", "strcpy", "sprintf", "_svfprintf_r", "__ssprint_r",
                 "fwrite", "_fwrite_r", "__sfvwrite_r", "printf", "_vfprintf_r"):
        start, size, _ = _function(board, name)
        inside = [row for row in rows if start <= row[0] < start + size]
        assert inside and inside[0][0] == start and inside[0][1] == start + size, name


def test_past_its_push_memset_keeps_its_return_address_on_the_stack(board):
    # memset pushes {r4, r5, lr} and then uses lr as a scratch register
    start, size, _ = _function(board, "memset")
    unwinder = board.libc_guard.unwinder()
    row = unwinder._row(start + size - 8)
    assert row is not None and row[2:] == (12, -4), row
    assert unwinder._row(start) == (start, start + size, 0, None)


def test_a_walk_that_does_not_reach_module_code_has_no_answer(board):
    # stopped at memset's entry with lr at the kernel's return address: no module called it
    start, _, _ = _function(board, "memset")
    unwinder = board.libc_guard.unwinder()
    assert unwinder.module_caller(board.kernel_stack_top - 64, board.return_address | 1,
                                  start) is None


def test_every_function_a_footprint_names_is_the_firmwares_or_a_form_it_may_have(board):
    # (a name the firmware lacks is harmless - it is never the function the walk finds -
    # but the exported ones must all be there)
    exported = set(board.firmware_symbols)
    missing = [name for name in libcguard.FOOTPRINTS
               if not name.startswith("_") and name not in exported]
    assert missing == [], missing
    assert unwind.MAX_FRAMES >= 8


def test_a_blame_the_stopped_cpu_does_not_bear_out_lets_libcs_store_run_again(board):
    # on_write walks from the registers unicorn has inside the store's hook, which may be of
    # an earlier point of the run; the run then stops at the store (cpu.py) and recheck
    # walks from the store's own: here no module called the firmware code, so the store was
    # libc's - the pages open and the run goes on at the store
    from unicorn import arm_const as A
    guard = board.libc_guard
    start, _, _ = _function(board, "memset")
    board.uc.reg_write(A.UC_ARM_REG_PC, start | 1)
    board.uc.reg_write(A.UC_ARM_REG_LR, board.return_address | 1)
    board.uc.reg_write(A.UC_ARM_REG_SP, board.kernel_stack_top - 64)
    address = board.firmware_symbols["environ"]
    guard.blamed = (address, "memset", 0x20004000, None, None)
    opened = guard.opened
    assert guard.recheck() is True
    assert guard.blamed is None and guard.open and guard.opened == opened + 1
    guard.close()
    assert guard.recheck() is False          # nothing blamed: a fault stays a fault
