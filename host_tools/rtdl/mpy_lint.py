"""Static MicroPython-compatibility check of the device side (second line behind mpy-cross).

    python -m rtdl.mpy_lint [--allow MODULE] [PATH ...]     (default: port/modules)

mpy-cross 1.2x accepts f-strings, walrus, annotations ... that RT-Thread's MicroPython 1.13
(mpy v5) does not, and it cannot see library differences (no `bytes.hex`, no `signed=`, no
`memoryview.cast` ...). This parses every file with CPython's `ast` and reports each use of
the constructs the project's MicroPython rules forbid as `file:line: message`. Exit status 1
when anything is found.
"""
import ast
import os
import sys

from .mpy_rules import (BUILTIN_EXCEPTIONS, BUILTIN_MODULES, FORBIDDEN_MODULES,
                        MEMORYVIEW_ONLY, NOT_ON_MICROPYTHON, STRUCT_FUNCS)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DIR = os.path.join(ROOT, "port", "modules")


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


def _private(name):
    return name.startswith("__") and not name.endswith("__")


def _is_memoryview_call(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "memoryview")


def _target_key(node):
    """'name' or 'self.attr' for a simple assignment target/receiver, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id + "." + node.attr
    return None


class _Checker(ast.NodeVisitor):
    def __init__(self, allowed_modules, tree, package=None, siblings=()):
        self.allowed = allowed_modules
        self.package = package                # the package a file belongs to, or None
        self.siblings = frozenset(siblings)   # module names in that package
        self.findings = []
        self.struct_names = set(["struct"])   # names bound to the struct module
        self.struct_funcs = {}                # local name -> struct function (from-imports)
        self.constants = {}                   # module-level NAME = "string"
        self.views = set()                    # names/self.attrs bound to memoryview(...)
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, (str, bytes))):
                self.constants[node.targets[0].id] = node.value.value
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _is_memoryview_call(node.value):
                for t in node.targets:
                    key = _target_key(t)
                    if key:
                        self.views.add(key)
            elif isinstance(node, ast.withitem) and _is_memoryview_call(node.context_expr):
                key = node.optional_vars is not None and _target_key(node.optional_vars)
                if key:
                    self.views.add(key)

    def report(self, node, message):
        self.findings.append((getattr(node, "lineno", 0), message))

    # -- syntax ----------------------------------------------------------------------------

    def visit_JoinedStr(self, node):
        self.report(node, "f-string: not supported by MicroPython 1.13 (mpy v5); use % formatting")
        # nested format specs are JoinedStr too: one finding per f-string is enough

    def visit_NamedExpr(self, node):
        self.report(node, "walrus operator := is not supported by MicroPython 1.13")
        self.generic_visit(node)

    def visit_Match(self, node):
        self.report(node, "match statement is not supported by MicroPython")
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self.report(node, "variable annotation: not supported by MicroPython 1.13")
        self.generic_visit(node)

    def _check_args(self, node, what):
        args = node.args
        if getattr(args, "posonlyargs", None):
            self.report(node, "positional-only parameters (/) in %s: not supported by MicroPython"
                        % what)
        all_args = list(getattr(args, "posonlyargs", [])) + args.args + args.kwonlyargs
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                all_args.append(extra)
        for a in all_args:
            if a.annotation is not None:
                self.report(a, "annotation on parameter %r of %s: not supported by MicroPython 1.13"
                            % (a.arg, what))
            if _private(a.arg):
                self.report(a, "private name %r: name mangling differs on MicroPython" % a.arg)

    def _visit_function(self, node):
        what = "%s()" % node.name
        self._check_args(node, what)
        if node.returns is not None:
            self.report(node, "return annotation on %s: not supported by MicroPython 1.13" % what)
        if _private(node.name):
            self.report(node, "private name %r: name mangling differs on MicroPython" % node.name)
        self.generic_visit(node)

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node):
        self._check_args(node, "lambda")
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        if len(node.bases) > 1:
            self.report(node, "class %s: multiple inheritance is not allowed on the device side"
                        % node.name)
        for kw in node.keywords:
            self.report(node, "class %s: keyword %r in class definition (metaclass) is not "
                              "supported by MicroPython" % (node.name, kw.arg))
        if _private(node.name):
            self.report(node, "private name %r: name mangling differs on MicroPython" % node.name)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__del__":
                self.report(item, "class %s defines __del__: MicroPython does not call finalizers "
                                  "on user classes; use explicit close()" % node.name)
        self.generic_visit(node)

    def visit_Raise(self, node):
        if node.cause is not None:
            self.report(node, "raise ... from: exception chaining is not supported by MicroPython")
        self.generic_visit(node)

    # -- names -----------------------------------------------------------------------------

    def visit_Name(self, node):
        if _private(node.id):
            self.report(node, "private name %r: name mangling differs on MicroPython" % node.id)

    def visit_Attribute(self, node):
        if _private(node.attr):
            self.report(node, "private name %r: name mangling differs on MicroPython" % node.attr)
        if (isinstance(node.value, ast.Name) and node.value.id in self.struct_names
                and node.attr in ("Struct", "iter_unpack")):
            self.report(node, "struct.%s does not exist on MicroPython" % node.attr)
        self.generic_visit(node)

    def visit_Global(self, node):
        for name in node.names:
            if _private(name):
                self.report(node, "private name %r: name mangling differs on MicroPython" % name)

    visit_Nonlocal = visit_Global

    # -- imports ---------------------------------------------------------------------------

    def _check_module(self, node, name):
        top = name.split(".")[0]
        if top in FORBIDDEN_MODULES:
            self.report(node, "import of %s: %s" % (name, FORBIDDEN_MODULES[top]))
        elif self.package is not None and name in self.siblings:
            # Absolute `import kernel` inside rtdl_device finds no top-level kernel once frozen.
            self.report(node, "import of %s: inside package %s, import it relatively "
                              "(from . import %s)" % (name, self.package, name))
        elif name in self.allowed:
            return
        elif top in self.allowed:
            self.report(node, "import of %s: submodules of %s do not exist on MicroPython"
                        % (name, top))
        else:
            self.report(node, "import of %s: not a port/modules module nor a MicroPython "
                              "builtin (%s)" % (name, " ".join(sorted(BUILTIN_MODULES))))

    def visit_Import(self, node):
        for alias in node.names:
            self._check_module(node, alias.name)
            if alias.name == "struct":
                self.struct_names.add(alias.asname or "struct")

    def visit_ImportFrom(self, node):
        if node.level:
            self._check_relative(node)
            return
        self._check_module(node, node.module)
        if node.module == "struct":
            for alias in node.names:
                if alias.name in STRUCT_FUNCS:
                    self.struct_funcs[alias.asname or alias.name] = alias.name
                elif alias.name in ("Struct", "iter_unpack"):
                    self.report(node, "struct.%s does not exist on MicroPython" % alias.name)

    def _check_relative(self, node):
        if self.package is None:
            self.report(node, "relative import outside a package (no __init__.py beside it)")
            return
        if node.level != 1:
            self.report(node, "relative import of level %d: the device packages are flat; use "
                              "`from . import name`" % node.level)
            return
        names = [node.module] if node.module else [a.name for a in node.names]
        for name in names:
            if name not in self.siblings:
                self.report(node, "relative import of %s: no module %s.%s"
                            % (name, self.package, name))

    # -- calls -----------------------------------------------------------------------------

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in ("locals", "eval", "exec"):
                self.report(node, "%s(): not available / not reliable on MicroPython" % func.id)
            if func.id in self.struct_funcs:
                self._check_struct(node, self.struct_funcs[func.id])
        elif isinstance(func, ast.Attribute):
            attr = func.attr
            recv = func.value
            if attr == "__init__" and isinstance(recv, ast.Name) \
                    and recv.id in BUILTIN_EXCEPTIONS:
                self.report(node, "%s.__init__(self, ...): MicroPython's builtin exceptions have "
                                  "no __init__ attribute; use super().__init__(...)" % recv.id)
            if attr in NOT_ON_MICROPYTHON:
                self.report(node, NOT_ON_MICROPYTHON[attr])
            if attr in MEMORYVIEW_ONLY and (_is_memoryview_call(recv)
                                            or _target_key(recv) in self.views):
                self.report(node, "memoryview.%s() does not exist on MicroPython" % attr)
            if attr in ("startswith", "endswith") and node.args \
                    and isinstance(node.args[0], ast.Tuple):
                self.report(node, "str.%s(tuple): MicroPython accepts only one string; "
                                  "use `or`" % attr)
            if attr in ("from_bytes", "to_bytes"):
                for kw in node.keywords:
                    if kw.arg in ("signed", "byteorder", "length"):
                        self.report(node, "int.%s(%s=...): MicroPython takes the byte order "
                                          "positionally and has no keywords; sign-convert "
                                          "explicitly" % (attr, kw.arg))
            if (attr in STRUCT_FUNCS and isinstance(recv, ast.Name)
                    and recv.id in self.struct_names):
                self._check_struct(node, attr)
        self.generic_visit(node)

    def visit_With(self, node):
        for item in node.items:
            if _is_memoryview_call(item.context_expr):
                self.report(node, "memoryview is not a context manager on MicroPython")
        self.generic_visit(node)

    def _check_struct(self, node, fname):
        if not node.args:
            return
        fmt = node.args[0]
        value = None
        if isinstance(fmt, ast.Constant) and isinstance(fmt.value, (str, bytes)):
            value = fmt.value
        elif isinstance(fmt, ast.Name) and fmt.id in self.constants:
            value = self.constants[fmt.id]
        if value is None:
            return
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not value.startswith("<"):
            self.report(node, "struct.%s format %r must start with '<' (little-endian, no "
                              "padding: native alignment differs on MicroPython)" % (fname, value))
        if " " in value:
            self.report(node, "struct.%s format %r contains spaces: MicroPython rejects them"
                        % (fname, value))


def lint_source(source, filename="<string>", allowed_modules=(), package=None, siblings=()):
    """Findings [(line, message)] of one source text. `allowed_modules` is added to the
    MicroPython builtins (normally the port/modules' own module names); `package` and
    `siblings` say which package the file is in and what it may import relatively."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as e:
        return [(e.lineno or 0, "syntax error: %s" % e.msg)]
    checker = _Checker(frozenset(BUILTIN_MODULES) | frozenset(allowed_modules), tree, package,
                       siblings)
    checker.visit(tree)
    seen = set()
    out = []
    for item in sorted(checker.findings):
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _py_files(path):
    if os.path.isdir(path):
        found = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for fn in sorted(filenames):
                if fn.endswith(".py"):
                    found.append(os.path.join(dirpath, fn))
        return found
    return [path]


def package_of(path):
    """(package name, its module names) for a file in a folder with __init__.py, else None."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(os.path.join(folder, "__init__.py")):
        return None
    names = [fn[:-3] for fn in os.listdir(folder) if fn.endswith(".py") and fn != "__init__.py"]
    return os.path.basename(folder), names


def importable_name(path):
    """What other files import a file as: "x" at top level, "pkg.x" in a package."""
    stem = os.path.splitext(os.path.basename(path))[0]
    package = package_of(path)
    if package is None:
        return stem
    return package[0] if stem == "__init__" else package[0] + "." + stem


def own_modules(files):
    """Module names the linted files may import: port/modules plus the linted files, each
    under its frozen name, and the packages themselves."""
    names = set()
    for f in (_py_files(DEFAULT_DIR) if os.path.isdir(DEFAULT_DIR) else []) + list(files):
        name = importable_name(f)
        names.add(name)
        names.add(name.split(".")[0])
    return names


def lint_paths(paths=None, allow=()):
    """(files checked, findings ["file:line: message"]) for the files / directories in `paths`."""
    files = []
    for p in (paths or [DEFAULT_DIR]):
        files.extend(_py_files(p))
    allowed = own_modules(files) | set(allow)
    out = []
    for path in files:
        with open(path) as f:
            source = f.read()
        shown = os.path.relpath(path)
        if shown.startswith(".."):
            shown = path
        package = package_of(path)
        for line, message in lint_source(source, path, allowed, *(package or (None, ()))):
            out.append("%s:%d: %s" % (shown, line, message))
    return files, out


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(prog="python -m rtdl.mpy_lint",
                                 description="MicroPython-compatibility check of port/modules")
    ap.add_argument("paths", nargs="*", help="files or directories (default: port/modules)")
    ap.add_argument("--allow", action="append", default=[], metavar="MODULE",
                    help="extra importable module name (repeatable)")
    args = ap.parse_args(argv)
    for p in args.paths:
        if not os.path.exists(p):
            sys.stderr.write("mpy_lint: %s: no such file or directory\n" % p)
            return 2
    files, findings = lint_paths(args.paths, args.allow)
    for f in findings:
        print(f)
    if findings:
        sys.stderr.write("mpy_lint: %d finding(s) in %d file(s)\n" % (len(findings), len(files)))
        return 1
    sys.stderr.write("mpy_lint: %d file(s) clean\n" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
