"""`rtdl exports`: write the C source of a firmware's RTM_EXPORT table.

What to export comes from any mix of list files (`--list FILE`: one name a line, `#` comments,
`@rt-thread-default` for RT-Thread's default libdl list) and modules (`.mo`, `.so`, `.o`: every
symbol they import). `--only MODULE...` keeps just what those modules import, out of what the
lists and modules offer. Where the names are defined is checked against the archives the
firmware links (`--from-libs`: newlib's libc.a and libm.a and libgcc.a for `--arch`) and the
firmware's own objects (`--defined-in`); that also tells functions from objects, so each entry
gets a declaration of the right kind. The output depends only on the set of names and their
kinds: sorted, deduplicated, the same bytes for the same inputs.

Stand-alone (standard library and pyelftools only) so the firmware build runs it as a script:
  python host_tools/rtdl/exports.py --list a.list --from-libs --defined-in obj/a.o -o exports.c
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

DEFAULT_ARCH = "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft"
CROSS = "arm-none-eabi-"

# RT-Thread's default libc export list (components/libc/posix/libdl/dlsyms.c): what a stock
# RT-Thread firmware offers modules beyond the kernel.
RT_THREAD_DEFAULT = (
    "strcpy", "strncpy", "strlen", "strcat", "strstr", "strchr", "strcmp", "strtol", "strtoul",
    "strncmp", "memcpy", "memcmp", "memmove", "memset", "memchr", "putchar", "puts", "printf",
    "sprintf", "snprintf", "fwrite", "longjmp", "setjmp", "exit", "abort", "rand",
    "__assert_func",
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The loader builds an ET_REL module's GOT itself (loader.GOT_SYMBOL): not an import.
_LOADER_PROVIDED = ("_GLOBAL_OFFSET_TABLE_",)
# nm letters of global definitions that are data; every other defined letter is code.
_OBJECT_LETTERS = set("BDRGSCV")


class ExportsError(Exception):
    """One line for the user: names the file, the item and what was expected."""


def read_list(path):
    """[(name, where)] from a list file; where is "FILE:LINE" for error messages."""
    try:
        with open(path) as stream:
            lines = stream.read().splitlines()
    except OSError as error:
        raise ExportsError("%s: cannot read list (%s)" % (path, error.strerror))
    except UnicodeDecodeError:
        raise ExportsError("%s: not a text list of symbol names" % path)
    names = []
    for number, line in enumerate(lines, 1):
        item = line.split("#", 1)[0].strip()
        where = "%s:%d" % (path, number)
        if not item:
            continue
        if item == "@rt-thread-default":
            names += [(name, where) for name in RT_THREAD_DEFAULT]
        elif item.startswith("@"):
            raise ExportsError("%s: unknown group '%s' (expected @rt-thread-default)"
                               % (where, item))
        elif _NAME.match(item):
            names.append((item, where))
        else:
            raise ExportsError("%s: '%s' is not a symbol name (expected one C identifier "
                               "a line, # for comments)" % (where, item))
    return names


def module_imports(path):
    """{name: weak} of the symbols a module (.mo/.so: .dynsym; .o: .symtab) leaves undefined."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise ExportsError("%s: cannot open module (%s)" % (path, error.strerror))
    with stream:
        try:
            elf = ELFFile(stream)
            if elf["e_machine"] != "EM_ARM":
                raise ExportsError("%s: not an ARM module (e_machine %s)"
                                   % (path, elf["e_machine"]))
            table = elf.get_section_by_name(".symtab" if elf["e_type"] == "ET_REL"
                                            else ".dynsym")
            if table is None:
                raise ExportsError("%s: no symbol table (expected a module from rtdl build)"
                                   % path)
            imports = {}
            for sym in table.iter_symbols():
                bind = sym["st_info"]["bind"]
                if (sym.name and sym["st_shndx"] == "SHN_UNDEF" and bind != "STB_LOCAL"
                        and sym.name not in _LOADER_PROVIDED):
                    imports[sym.name] = bind == "STB_WEAK"
            return imports
        except ELFError as error:
            raise ExportsError("%s: not an ELF module (%s)" % (path, error))


def _tool(name, *args):
    try:
        done = subprocess.run([CROSS + name] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
    except OSError:
        raise ExportsError("%s%s: not found (install gcc-arm-none-eabi; `make setup` does)"
                           % (CROSS, name))
    if done.returncode != 0:
        raise ExportsError("%s%s %s: %s" % (CROSS, name, " ".join(args),
                                            (done.stderr.strip().splitlines() or ["failed"])[-1]))
    return done.stdout


def firmware_libraries(arch):
    """The archives the firmware links (its LDLIBS: -lc -lm -lgcc) for these target flags."""
    flags = shlex.split(arch)
    paths = [_tool("gcc", *(flags + ["-print-file-name=" + lib])).strip()
             for lib in ("libc.a", "libm.a")]
    paths.append(_tool("gcc", *(flags + ["-print-libgcc-file-name"])).strip())
    for path in paths:
        if not os.path.isabs(path) or not os.path.exists(path):
            raise ExportsError("%s: the toolchain has no such library for %s "
                               "(expected newlib: libnewlib-arm-none-eabi)" % (path, arch))
    return paths


def definitions(paths):
    """{name: "function"|"object"} of the global symbols these archives and objects define."""
    if not paths:
        return {}
    for path in paths:
        if not os.path.exists(path):
            raise ExportsError("%s: no such object or archive" % path)
    kinds = {}
    for line in _tool("nm", "-g", "--defined-only", *paths).splitlines():
        fields = line.split()
        if len(fields) != 3:
            continue    # "member.o:" headers of archives
        letter, name = fields[1], fields[2]
        kind = "object" if letter.upper() in _OBJECT_LETTERS else "function"
        if kinds.get(name) != "function":
            kinds[name] = kind
    return kinds


def select(lists, modules, only):
    """{name: (where, weak)}: what the lists and modules ask for, cut down to what the --only
    modules import when there are any."""
    wanted = {}
    for path in lists:
        for name, where in read_list(path):
            wanted.setdefault(name, (where, False))
    for path in modules:
        for name, weak in sorted(module_imports(path).items()):
            wanted.setdefault(name, (path, weak))
    if not only:
        return wanted
    chosen = {}
    for path in only:
        for name, weak in sorted(module_imports(path).items()):
            if wanted and name not in wanted and not weak:
                raise ExportsError("%s: imports %s, which no list or module given offers"
                                   % (path, name))
            if not wanted or name in wanted:
                chosen.setdefault(name, (path, weak))
    return chosen


def resolve(wanted, kinds, checked):
    """[(name, kind)] sorted; a name nothing defines is an error naming who needs it. A weak
    import nothing defines is left out: the loader binds it to 0."""
    if not checked:
        return sorted((name, "function") for name in wanted)
    missing = sorted((where, name) for name, (where, weak) in wanted.items()
                     if name not in kinds and not weak)
    if missing:
        where = missing[0][0]
        names = [name for w, name in missing if w == where]
        more = len(missing) - len(names)
        raise ExportsError("%s: needs %s, which no library or firmware object defines%s"
                           % (where, ", ".join(names),
                              " (and %d more elsewhere)" % more if more else ""))
    return sorted((name, kinds[name]) for name in wanted if name in kinds)


def c_source(entries, inputs):
    """The table as C. Each entry references its symbol through an asm label, so no header
    (and no conflicting prototype or builtin) is needed; the layout is rtm.h's RTM_EXPORT."""
    out = [
        "/* RTM_EXPORT table written by `rtdl exports`; do not edit.",
        " * From: %s */" % (", ".join(inputs) or "no inputs"),
        "#include <rtm.h>",
        "",
        "#define RTDL_EXPORT(sym, ref)                                                      \\",
        "const char __rtmsym_##sym##_name[] RT_SECTION(\".rodata.name\") = #sym;             \\",
        "const struct rt_module_symtab __rtmsym_##sym RT_SECTION(\"RTMSymTab\") RT_USED =    \\",
        "    { (void *)&ref, __rtmsym_##sym##_name };",
        "#define RTDL_FUNCTION(sym) \\",
        "    extern void __rtdl_ref_##sym(void) __asm__(#sym); RTDL_EXPORT(sym, __rtdl_ref_##sym)",
        "#define RTDL_OBJECT(sym) \\",
        "    extern char __rtdl_ref_##sym[] __asm__(#sym); RTDL_EXPORT(sym, __rtdl_ref_##sym[0])",
        "",
    ]
    out += ["RTDL_%s(%s)" % (kind.upper(), name) for name, kind in entries]
    out.append("")
    return "\n".join(out)


def generate(lists=(), modules=(), only=(), from_libs=False, defined_in=(), arch=DEFAULT_ARCH):
    """The C source text for these inputs (see the module docstring)."""
    wanted = select(lists, modules, only)
    definers = (firmware_libraries(arch) if from_libs else []) + list(defined_in)
    entries = resolve(wanted, definitions(definers), bool(definers))
    inputs = sorted(set(os.path.basename(p) for p in list(lists) + list(modules) + list(only)))
    return c_source(entries, inputs)


def add_arguments(p):
    p.add_argument("modules", nargs="*", metavar="MODULE",
                   help=".mo/.so/.o modules: export everything they import")
    p.add_argument("--list", action="append", default=[], metavar="FILE",
                   help="list file: one symbol a line, # comments, @rt-thread-default")
    p.add_argument("--only", nargs="+", default=[], metavar="MODULE",
                   help="export only what these modules import (of what the lists offer); "
                        "put it after the other modules")
    p.add_argument("--from-libs", action="store_true",
                   help="check names against newlib's libc.a, libm.a and libgcc.a for --arch")
    p.add_argument("--defined-in", action="append", default=[], metavar="OBJ",
                   help="one of the firmware's own objects (repeat): what it defines counts")
    p.add_argument("--arch", default=DEFAULT_ARCH, metavar="FLAGS",
                   help="target flags picking the libraries (default '%s')" % DEFAULT_ARCH)
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default stdout)")


def run(args):
    try:
        if not (args.list or args.modules or args.only):
            raise ExportsError("nothing to export (expected --list FILE, modules or --only)")
        text = generate(args.list, args.modules, args.only, args.from_libs, args.defined_in,
                        args.arch)
        if args.output:
            try:
                with open(args.output, "w") as stream:
                    stream.write(text)
            except OSError as error:
                raise ExportsError("%s: cannot write (%s)" % (args.output, error.strerror))
        else:
            sys.stdout.write(text)
    except ExportsError as error:
        sys.stderr.write("rtdl exports: error: %s\n" % error)
        return 2
    return 0


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(prog="exports.py", description=__doc__.splitlines()[0])
    add_arguments(_parser)
    sys.exit(run(_parser.parse_args()))
