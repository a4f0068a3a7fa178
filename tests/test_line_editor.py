"""rtdl.line_editor, fed keys as a terminal sends them (without a terminal): what it draws on
the console, the line it hands back, and output of the threads coming between two keys."""
from rtdl.line_editor import LineEditor, ReadlineHistory
from rtdl_board.console import Console


class History(ReadlineHistory):
    def __init__(self, lines=()):
        self.readline = None          # this session's own list, not the test runner's readline
        self.own = list(lines)


def editor(words=(), history=()):
    shown = []
    console = Console(shown.append)
    ed = LineEditor(console, ">>> ", words, History(history))
    ed.show()
    return ed, console, shown


def test_keys_in_pieces_and_an_escape_sequence_split_across_reads():
    ed, console, shown = editor()
    assert ed.feed(b"6 * 7") is None
    assert ed.feed(b"\x1b[") is None           # Left, in two reads
    assert ed.feed(b"D9\x1b[C\x7f") is None    # a 9 before the 7; past it; Backspace
    assert ed.feed(b"\r") == ("line", "6 * 9")
    ed.close()
    assert console.sink == shown.append


def test_output_between_keys_erases_the_line_and_show_draws_it_again():
    ed, console, shown = editor()
    ed.feed(b"1+")
    del shown[:]
    console.write(b"tick 3\n")
    ed.show()
    assert b"".join(shown) == b"\r\x1b[Ktick 3\n>>> 1+"
    assert ed.feed(b"1\r") == ("line", "1+1")


def test_tab_completes_as_readline_and_ctrl_d_ends_only_an_empty_line():
    ed, console, shown = editor(words=["dlmodule", "dlmodule.exec", "dlmodule.find", "dir"])
    ed.feed(b"dl\t")
    assert ed.text == "dlmodule"               # the common part
    ed.feed(b".e\t")
    assert ed.text == "dlmodule.exec "         # the one match, and a space
    ed.feed(b"\x01\x04")                       # Home, then Ctrl-D deletes under the cursor
    assert ed.text == "lmodule.exec "
    ed.feed(b"\x15")                           # Ctrl-U at Home: nothing to its left
    assert ed.text == "lmodule.exec "
    ed.feed(b"\x0b")                           # Ctrl-K: everything right of it
    assert ed.feed(b"\x04") == ("eof",)


def test_up_and_down_walk_the_history_and_keep_an_edited_line():
    ed, console, shown = editor(history=["first", "second"])
    ed.feed(b"new")
    ed.feed(b"\x1b[A")
    assert ed.text == "second"
    ed.feed(b"\x1bOA\x1bOA")                   # application mode; no line before the first
    assert ed.text == "first"
    ed.feed(b"\x1b[B\x1b[B")
    assert ed.text == "new"
    assert ed.feed(b"\n") == ("line", "new")
    assert ed.history.own == ["first", "second", "new"]


def test_a_second_tab_lists_the_matches_and_draws_the_line_again():
    ed, console, shown = editor(words=["dir", "dlmodule"])
    ed.feed(b"d\t")
    del shown[:]
    ed.feed(b"\t")
    assert b"".join(shown) == b"\ndir  dlmodule\n>>> d"
    assert ed.feed(b"ir\r") == ("line", "dir")


def test_a_line_wrapped_over_two_rows_is_erased_and_walked_row_by_row():
    # without a terminal the width is 80 columns: ">>> " and 76 keys fill the first row
    ed, console, shown = editor()
    del shown[:]
    ed.feed(b"x" * 76)
    assert b"".join(shown) == b"x" * 76 + b" \r"     # the cursor goes to the second row now
    del shown[:]
    ed.feed(b"\x1b[D")                               # Left: back up to the first row's end
    assert b"".join(shown) == b"\x1b[1A\r\x1b[79C"
    ed.feed(b"\x1b[C")
    del shown[:]
    console.write(b"tick 1\n")                       # both rows go before the output
    ed.show()
    assert b"".join(shown) == (b"\r\x1b[1A\x1b[Jtick 1\n>>> " + b"x" * 76 + b" \r")
    assert ed.feed(b"\r") == ("line", "x" * 76)
