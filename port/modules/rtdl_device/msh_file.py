"""msh's file commands, as RT-Thread's components/finsh/msh_file.c has them: cat, echo, mkdir,
rm, cp, mv (ls, cd and pwd are msh.py's). They work on the kernel's `files` with device paths
(relative ones from the working directory), the same sandbox the modules' open() goes
through; a board whose files cannot write (no `open_file`) has none of them.

    add_file_commands(shell)          # registers them on an msh.Msh

echo follows RT-Thread (`echo TEXT` prints, `echo TEXT FILE` appends TEXT to FILE) and also
takes a redirection, `echo TEXT > FILE` (truncates) and `echo TEXT >> FILE` (appends).
Imports: nothing (errors are the files' OSErrors).
"""
# newlib's open flags (the files interface takes the target's)
O_RDONLY = 0
O_WRONLY = 1
O_RDWR = 2
O_APPEND = 0x0008
O_CREAT = 0x0200
O_TRUNC = 0x0400
_S_IFMT = 0o170000
_S_IFDIR = 0o040000
_CHUNK = 4096


def _text(data):
    try:
        return str(data, "utf-8")
    except UnicodeError:
        return "".join([chr(b) if b < 0x80 else "?" for b in data])


class FileCommands:
    def __init__(self, shell):
        self.shell = shell
        self.files = shell.files
        self.write = shell.write

    def commands(self):
        return (("cat", self.cmd_cat, "Concatenate FILE(s)"),
                ("echo", self.cmd_echo, "echo string to file"),
                ("mkdir", self.cmd_mkdir, "Create the DIRECTORY."),
                ("rm", self.cmd_rm, "Remove(unlink) the FILE(s)."),
                ("cp", self.cmd_cp, "Copy SOURCE to DEST."),
                ("mv", self.cmd_mv, "Rename SOURCE to DEST."))

    def _is_dir(self, path):
        try:
            return self.files.file_stat(path)[0] & _S_IFMT == _S_IFDIR
        except OSError:
            return False

    def _read_all(self, handle, sink):
        while True:
            data = self.files.fd_read(handle, _CHUNK)
            if not data:
                return
            sink(data)

    # --------------------------------------------------------------------- commands ----
    def cmd_cat(self, argv):
        if len(argv) == 1:
            self.write("Usage: cat [FILE]...\n")
            self.write("Concatenate FILE(s)\n")
            return 0
        for path in argv[1:]:
            try:
                handle = self.files.open_file(path, O_RDONLY)
            except OSError:
                self.write("Open %s failed\n" % path)
                continue
            try:
                self._read_all(handle, lambda data: self.write(_text(data)))
            except OSError:
                self.write("Read %s failed\n" % path)
            finally:
                self.files.fd_close(handle)
        return 0

    def cmd_echo(self, argv):
        if len(argv) == 2:
            self.write("%s\n" % argv[1])
            return 0
        if len(argv) == 3:
            text, path, flags = argv[1], argv[2], O_RDWR | O_APPEND | O_CREAT
        elif len(argv) == 4 and argv[2] in (">", ">>"):
            text, path = argv[1], argv[3]
            flags = O_WRONLY | O_CREAT | (O_APPEND if argv[2] == ">>" else O_TRUNC)
        else:
            self.write("Usage: echo \"string\" [filename]\n")
            return 0
        try:
            handle = self.files.open_file(path, flags)
        except OSError:
            self.write("open file:%s failed!\n" % path)
            return 0
        try:
            self.files.fd_write(handle, text.encode())
        finally:
            self.files.fd_close(handle)
        return 0

    def cmd_mkdir(self, argv):
        if len(argv) == 1:
            self.write("Usage: mkdir [OPTION] DIRECTORY\n")
            self.write("Create the DIRECTORY, if they do not already exist.\n")
            return 0
        try:
            self.files.mkdir(argv[1])
        except OSError:
            self.write("mkdir %s failed\n" % argv[1])
        return 0

    def _remove_tree(self, path):
        handle = self.files.open_file(path, 0x200000)          # O_DIRECTORY
        try:
            entries = self.files.fd_entries(handle)
        finally:
            self.files.fd_close(handle)
        folder = path.encode() if isinstance(path, str) else path
        for name, is_dir in entries:
            child = folder.rstrip(b"/") + b"/" + name
            if is_dir:
                self._remove_tree(child)
            else:
                self.files.unlink(child)
        self.files.rmdir(path)

    def cmd_rm(self, argv):
        if len(argv) == 1:
            self.write("Usage: rm option(s) FILE...\n")
            self.write("Remove (unlink) the FILE(s).\n")
            return 0
        recursive = verbose = force = False
        names = []
        for arg in argv[1:]:
            if arg.startswith("-") and len(arg) > 1:
                for flag in arg[1:]:
                    if flag == "r":
                        recursive = True
                    elif flag == "v":
                        verbose = True
                    elif flag == "f":
                        force = True
                    else:
                        self.write("Error: Bad option: %s\n" % flag)
                        return 0
            else:
                names.append(arg)
        for path in names:
            try:
                if self._is_dir(path):
                    if not recursive:
                        if not force:
                            self.write("cannot remove '%s': Is a directory\n" % path)
                        continue
                    self._remove_tree(path)
                else:
                    self.files.unlink(path)
                if verbose:
                    self.write("removed '%s'\n" % path)
            except OSError:
                if not force:
                    self.write("cannot remove '%s'\n" % path)
        return 0

    def _into(self, src, dst):
        """DEST itself, or DEST/basename(SOURCE) when DEST is a directory."""
        if self._is_dir(dst):
            base = src.rstrip("/").split("/")[-1]
            return dst.rstrip("/") + "/" + base
        return dst

    def cmd_cp(self, argv):
        if len(argv) != 3:
            self.write("Usage: cp SOURCE DEST\n")
            self.write("Copy SOURCE to DEST.\n")
            return 0
        src, dst = argv[1], self._into(argv[1], argv[2])
        if self._is_dir(src):
            self.write("cp: omitting directory '%s'\n" % src)
            return 0
        try:
            source = self.files.open_file(src, O_RDONLY)
        except OSError:
            self.write("open %s failed\n" % src)
            return 0
        try:
            try:
                dest = self.files.open_file(dst, O_WRONLY | O_CREAT | O_TRUNC)
            except OSError:
                self.write("open %s failed\n" % dst)
                return 0
            try:
                self._read_all(source, lambda data: self.files.fd_write(dest, data))
            finally:
                self.files.fd_close(dest)
        finally:
            self.files.fd_close(source)
        return 0

    def cmd_mv(self, argv):
        if len(argv) != 3:
            self.write("Usage: mv SOURCE DEST\n")
            self.write("Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n")
            return 0
        dst = self._into(argv[1], argv[2])
        self.write("%s => %s\n" % (argv[1], dst))
        try:
            self.files.rename(argv[1], dst)
        except OSError:
            self.write("rename %s to %s failed\n" % (argv[1], dst))
        return 0


def add_file_commands(shell):
    """Register cat, echo, mkdir, rm, cp, mv on `shell` when its files can write."""
    if not hasattr(shell.files, "open_file"):
        return
    group = FileCommands(shell)
    for name, handler, description in group.commands():
        shell.add_command(name, handler, description)

