"""HostFiles: the API's files when a board is given none - host paths read with the
sandbox's walk (sandbox.Tree) rooted at the host's `/`, relative paths taken from the host's
working directory. It contains nothing; it only reads safely. It keeps the bytes of the last
few files it read and hands them out again while os.stat shows the same unchanged regular
file (HostFiles._keep), so a module loaded again is not read again.
May import: the standard library, rtdl.sandbox.
"""
import os
import stat
import time

from .sandbox import Tree, encode, normalize


class HostFiles:
    """The API's files when none are given: host paths, read as safely as in the sandbox
    (regular files only, bounded, nothing blocks) but not contained. It has no working
    directory of its own, so relative dlopen paths keep meaning the host's."""

    def __init__(self):
        self._tree = Tree("/", False)
        self.read_limit = None
        self._kept = {}      # path (normalized, or absolute as given) -> (identity, bytes, path)
        self.clock = time.time_ns            # the file times' clock (a test moves it on)

    KEEP = 8

    def read(self, path):
        given = path if isinstance(path, str) and path.startswith("/") else None
        if given is not None:
            kept = self._kept.get(given)     # an absolute path as given: no normalizing
            if kept is not None and self._unchanged(kept):
                return kept[1]
        path = encode(path)
        if not path.startswith(b"/"):
            path = os.fsencode(os.getcwd()) + b"/" + path
        parts = normalize([], path, True)
        host = b"/" + b"/".join(parts)
        kept = self._kept.get(host)
        if kept is None or not self._unchanged(kept):
            self._tree.read_limit = self.read_limit
            started = self.clock()
            try:
                before = os.stat(host)
            except OSError:
                before = None
            data = self._tree.read(parts, path)
            kept = self._keep(host, started, before, data)
            if kept is None:
                return data
        if given is not None:
            self._kept[given] = kept
        return kept[1]

    def _unchanged(self, kept):
        identity, data, host = kept
        if self.read_limit is not None and len(data) > self.read_limit:
            return False
        try:
            st = os.stat(host)
        except OSError:
            return False
        # _identity(st) == identity, without building the tuple (every cached load asks)
        return (st.st_mtime_ns == identity[3] and st.st_ctime_ns == identity[4]
                and st.st_ino == identity[0] and st.st_dev == identity[1]
                and st.st_size == identity[2])

    def _keep(self, host, started, before, data):
        """Keep the bytes of a file that cannot change unseen: a regular file, the same one
        before and after the read (the walk read it; os.stat names it), whose last change lies
        clearly before the read began. A later change then gives it a newer time stamp
        (racy-git's rule): the coarse clock of file times (a few milliseconds; whole seconds
        on some file systems) cannot give it the same one."""
        if before is None:
            return None
        try:
            st = os.stat(host)
        except OSError:
            return None
        if (_identity(st) != _identity(before) or not stat.S_ISREG(st.st_mode)
                or st.st_size != len(data)):
            return None
        changed = max(st.st_mtime_ns, st.st_ctime_ns)
        coarse = st.st_mtime_ns % 1000000000 == 0 and st.st_ctime_ns % 1000000000 == 0
        if changed >= started - (2000000000 if coarse else 50000000):
            return None
        while len(self._kept) >= 2 * self.KEEP:        # by its path and as given
            self._kept.pop(next(iter(self._kept)))
        kept = self._kept[host] = (_identity(st), data, host)
        return kept


def _identity(st):
    """What changes when a file is replaced, written or chmod-ed (ctime)."""
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
