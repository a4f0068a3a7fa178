"""msh `python` of the CPython runtime: the MicroPython REPL (repl.py) in a MicroPython process
of its own, whose `dlmodule` and `dlfcn` are the host's - the live kernel and board of the
shell that started it - over the bridge (bridge.Link, JSON requests the other way round:
here the REPL asks, the host acts on its kernel).

    main("/dev/rtdl_bridge")     # the stream the Node launcher connects to the host

Host requests (rtdl.mpy_runtime.repl_host answers them):
    ["dl", "attr", ref, name]          an attribute of a host object
    ["dl", "call", ref, args, kwargs]  a call of one
    ["dl", "str" | "repr", ref]        its text
    ["dl", "dir", ref]                 its public attribute names (for Tab)
    ["settle"], ["sleep", ms]          let the module threads run (repl.py's threads)
    ["interrupted"]                    was Ctrl-C pressed (and forget it)?
    ["wait_key", prompt, words]        the threads run while the line is typed (repl.py;
                                       words: for Tab, repl.completion_words)
    ["readline", prompt], ["exit", 0]
Values travel as JSON; bytes as {"$bytes": hex}; any other object stays on the host and
comes as {"$ref": n, "call": bool}, one proxy per object (so `dlmodule.find(n) is m` holds
while that module lives). Ref 0 is the host's dlmodule, ref 1 its dlfcn.
Errors raised on the host are raised here (bridge.error_from). Imports: binascii, sys,
bridge, repl.
"""
import binascii
import sys

from . import bridge
from . import repl


class _Remote:
    """A host object: attributes and text are asked for each time (they are live)."""

    def __init__(self, peer, ref):
        self._peer = peer
        self._ref = ref

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._peer.ask("attr", self._ref, name)

    def _completion_names(self):
        return self._peer.ask("dir", self._ref)

    def __str__(self):
        return self._peer.ask("str", self._ref)

    def __repr__(self):
        return self._peer.ask("repr", self._ref)


class _RemoteCallable(_Remote):
    def __call__(self, *args, **kwargs):
        peer = self._peer
        return peer.ask("call", self._ref, [peer.encode(a) for a in args],
                        dict((k, peer.encode(v)) for k, v in kwargs.items()))


class Peer:
    """The host's objects as proxies, one per ref."""

    def __init__(self, link):
        self.link = link
        self.proxies = {}

    def proxy(self, ref, callable_):
        found = self.proxies.get(ref)
        if found is None:
            found = (_RemoteCallable if callable_ else _Remote)(self, ref)
            self.proxies[ref] = found
        return found

    def ask(self, *request):
        # the host acts on the board: the REPL's interrupt gate is shut meanwhile
        return self.decode(repl.gate().shut(self.link.call, ("dl",) + request))

    def encode(self, value):
        if isinstance(value, _Remote):
            return {"$ref": value._ref}
        if isinstance(value, (bytes, bytearray)):
            return {"$bytes": binascii.hexlify(value).decode()}
        if isinstance(value, (list, tuple)):
            return [self.encode(v) for v in value]
        if isinstance(value, dict):
            return dict((k, self.encode(v)) for k, v in value.items())
        return value

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if isinstance(value, dict):
            if "$ref" in value:
                return self.proxy(value["$ref"], value.get("call"))
            if "$bytes" in value:
                return binascii.unhexlify(value["$bytes"])
            return dict((k, self.decode(v)) for k, v in value.items())
        return value


class RemoteThreads:
    """repl.py's threads: the host's kernel runs them (KeyboardInterrupt on Ctrl-C)."""

    def __init__(self, link):
        self.link = link

    def settle(self):
        self.link.call("settle")

    def sleep_ms(self, ms):
        self.link.call("sleep", int(ms))

    def interrupted(self):
        return self.link.call("interrupted")

    def wait_for_key(self, prompt, words=None):
        self.link.call("wait_key", prompt, words)


def main(path):
    with open(path, "r+b") as stream:
        link = bridge.Link(stream)
        info = link.call("info")
        peer = Peer(link)
        saved = {}
        for name, ref in (("dlmodule", 0), ("dlfcn", 1)):
            saved[name] = sys.modules.get(name)
            sys.modules[name] = peer.proxy(ref, False)

        def write(text):
            link.post(bridge.OP_CONSOLE, text.encode())

        def read_line(prompt):
            return link.call("readline", prompt)
        try:
            value = repl.repl(RemoteThreads(link), read_line, write,
                              complete=bool(info.get("terminal")))
        finally:
            for name in saved:
                if saved[name] is None:
                    del sys.modules[name]
                else:
                    sys.modules[name] = saved[name]
        link.call("exit", value)
