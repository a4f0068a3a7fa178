"""Console: what the firmware writes, collected and optionally streamed.

CPython only. May import: the standard library.
"""


class Console:
    """Collects what the firmware writes; `sink(bytes)` also streams it (e.g. to stdout)."""

    def __init__(self, sink=None):
        self.sink = sink
        self.buffer = bytearray()

    def write(self, data):
        self.buffer += data
        if self.sink is not None:
            self.sink(bytes(data))

    def take(self):
        """Everything written since the last take, as text."""
        text = self.buffer.decode("utf-8", "replace")
        self.buffer = bytearray()
        return text
