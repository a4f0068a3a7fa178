"""Read a MicroPython freeze manifest (`port/manifest.py`) on the host.

A manifest is a Python script calling `metadata()`, `module()`, `package()`, `include()`,
`require()` and `freeze()`. This is the subset of MicroPython's `tools/manifestfile.py` that
rtdl needs, with the same path rules:

- `module("x.py", base_path="modules")`: the file `<manifest dir>/modules/x.py`, frozen as
  `x.py` (the import name comes from the first argument, never from `base_path`).
- `package("pkg", files=None, base_path=".")`: every `.py` under `<base_path>/pkg`, or only the
  listed ones, frozen as `pkg/...`.
- `freeze(path, script=None)`: the legacy form: all `.py` under `path`, or the named ones.
- `include(path)`: run another manifest, paths relative to that one.
- `require(name)`: a micropython-lib dependency; recorded, never fetched.
- `metadata(description=, version=, license=, author=)`: at most once per manifest file.

    >>> m = read_manifest("port/manifest.py")
    >>> m.version, m.module_names()
"""
import os

from rtdl.devtree import CHECKOUT as ROOT
DEFAULT_MANIFEST = os.path.join(ROOT, "port", "manifest.py")


class ManifestError(Exception):
    """The manifest is malformed or names a file that does not exist."""


class ManifestFile(object):
    """One file to freeze: `source` (absolute host path) frozen as `target` ("pkg/x.py")."""

    def __init__(self, source, target, opt=None):
        self.source = source
        self.target = target
        self.opt = opt

    @property
    def name(self):
        """Import name: "x" for "x.py", "pkg.x" for "pkg/x.py"."""
        return self.target[:-3].replace("/", ".")

    def __repr__(self):
        return "ManifestFile(%r, %r)" % (self.source, self.target)


class _Options(object):
    """`options.xyz` inside a manifest: keyword arguments of include(), else None."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __getattr__(self, name):
        return None


class Manifest(object):
    def __init__(self):
        self.files = []          # ManifestFile, in manifest order
        self.metadata = {}       # of the top-level manifest
        self.requires = []       # (name, kwargs) of require() calls
        self.manifests = []      # every manifest file read (top-level first)

    @property
    def version(self):
        return self.metadata.get("version")

    @property
    def description(self):
        return self.metadata.get("description")

    def module_names(self):
        return [f.name for f in self.files]

    def targets(self):
        return [f.target for f in self.files]

    # -- reading -----------------------------------------------------------------------------

    def execute(self, path, **options):
        path = os.path.abspath(path)
        if not os.path.isfile(path):
            raise ManifestError("%s: manifest not found" % path)
        if path in self.manifests:
            raise ManifestError("%s: included twice" % path)
        self.manifests.append(path)
        top = len(self.manifests) == 1
        here = os.path.dirname(path)
        seen_metadata = []

        def where():
            return path

        def resolve(p):
            return os.path.normpath(os.path.join(here, os.path.expanduser(p)))

        def add(source, target, opt):
            if not target.endswith(".py"):
                raise ManifestError("%s: %s: only .py files can be frozen" % (where(), target))
            if not os.path.isfile(source):
                raise ManifestError("%s: %s: file not found (%s)" % (where(), target, source))
            for f in self.files:
                if f.target == target:
                    raise ManifestError("%s: %s listed twice" % (where(), target))
            self.files.append(ManifestFile(source, target, opt))

        def add_tree(base, sub, files, opt):
            top_dir = os.path.join(base, sub) if sub else base
            if not os.path.isdir(top_dir):
                raise ManifestError("%s: %s: directory not found" % (where(), top_dir))
            if files is None:
                found = []
                for dirpath, dirnames, filenames in os.walk(top_dir):
                    dirnames.sort()
                    for fn in sorted(filenames):
                        if fn.endswith(".py"):
                            found.append(os.path.relpath(os.path.join(dirpath, fn), base))
            else:
                found = [os.path.join(sub, f) if sub else f for f in files]
            for rel in found:
                rel = rel.replace(os.sep, "/")
                add(os.path.join(base, rel), rel, opt)

        def metadata(description=None, version=None, license=None, author=None):
            if seen_metadata:
                raise ManifestError("%s: metadata() called more than once" % where())
            seen_metadata.append(True)
            if top:
                for key, value in (("description", description), ("version", version),
                                   ("license", license), ("author", author)):
                    if value is not None:
                        self.metadata[key] = value

        def module(module_path, base_path=".", opt=None):
            if os.path.isabs(module_path) or module_path.startswith(".."):
                raise ManifestError("%s: module(%r): path must be relative to base_path"
                                    % (where(), module_path))
            add(os.path.join(resolve(base_path), module_path),
                module_path.replace(os.sep, "/"), opt)

        def package(package_path, files=None, base_path=".", opt=None):
            add_tree(resolve(base_path), package_path, files, opt)

        def freeze(path, script=None, opt=None):
            base = resolve(path)
            if script is None:
                add_tree(base, "", None, opt)
            elif isinstance(script, str):
                add_tree(base, "", [script], opt)
            else:
                add_tree(base, "", list(script), opt)

        def include(manifest_path, **kwargs):
            paths = manifest_path if isinstance(manifest_path, (list, tuple)) else [manifest_path]
            for p in paths:
                p = resolve(p)
                if os.path.isdir(p):
                    p = os.path.join(p, "manifest.py")
                self.execute(p, **kwargs)

        def require(name, version=None, unix_ffi=False, pypi=None, **kwargs):
            self.requires.append((name, dict(kwargs, version=version, unix_ffi=unix_ffi,
                                             pypi=pypi)))

        env = {
            "__file__": path,
            "metadata": metadata,
            "module": module,
            "package": package,
            "freeze": freeze,
            "include": include,
            "require": require,
            "options": _Options(**options),
        }
        with open(path) as f:
            source = f.read()
        try:
            code = compile(source, path, "exec")
        except SyntaxError as e:
            raise ManifestError("%s:%s: %s" % (path, e.lineno, e.msg))
        exec(code, env)
        return self


def read_manifest(path=DEFAULT_MANIFEST):
    """Execute the manifest at `path` and return a Manifest (files, version, metadata)."""
    return Manifest().execute(path)


def main(argv=None):
    import sys
    args = sys.argv[1:] if argv is None else argv
    m = read_manifest(args[0] if args else DEFAULT_MANIFEST)
    print("version %s" % m.version)
    for f in m.files:
        print("%-24s %s" % (f.target, os.path.relpath(f.source)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
