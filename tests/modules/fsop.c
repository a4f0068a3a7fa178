/* Runs file operations given as arguments, "op:path[:path2]", and prints each result with
 * errno, so tests can check DFS's POSIX API, its errno values and the sandbox from a module:
 *   read:P  write:P (O_CREAT|O_TRUNC, writes "data")  append:P  stat:P  unlink:P  mkdir:P
 *   rmdir:P  rename:P:Q  ls:P  cd:P  cwd:  excl:P (O_CREAT|O_EXCL)  dir:P (open O_DIRECTORY)
 *   mount:P  unmount:P  seek:P (lseek past the start, SEEK_END, bad whence)  badfd: */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <dfs_posix.h>

static void report(const char *op, int result)
{
    printf("%s -> %d errno %d\n", op, result, result < 0 ? errno : 0);
}

int main(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++)
    {
        char op[32], path[200], path2[200], buf[128];
        char *colon = strchr(argv[i], ':');
        char *second;
        int fd, n;
        errno = 0;
        path[0] = path2[0] = '\0';
        if (!colon)
            continue;
        memcpy(op, argv[i], colon - argv[i]);
        op[colon - argv[i]] = '\0';
        strncpy(path, colon + 1, sizeof(path) - 1);
        path[sizeof(path) - 1] = '\0';
        second = strchr(path, ':');
        if (second)
        {
            *second = '\0';
            strcpy(path2, second + 1);
        }
        if (!strcmp(op, "read"))
        {
            fd = open(path, O_RDONLY, 0);
            report("open", fd);
            if (fd >= 0)
            {
                n = read(fd, buf, sizeof(buf) - 1);
                if (n >= 0)
                {
                    buf[n] = '\0';
                    printf("read %d <%s>\n", n, buf);
                }
                else
                    report("read", n);
                report("close", close(fd));
            }
        }
        else if (!strcmp(op, "write") || !strcmp(op, "append") || !strcmp(op, "excl"))
        {
            int flags = O_WRONLY | O_CREAT;
            flags |= !strcmp(op, "append") ? O_APPEND : !strcmp(op, "excl") ? O_EXCL : O_TRUNC;
            fd = open(path, flags, 0);
            report("open", fd);
            if (fd >= 0)
            {
                report("write", write(fd, "data", 4));
                report("fsync", fsync(fd));
                report("close", close(fd));
            }
        }
        else if (!strcmp(op, "stat"))
        {
            struct stat st;
            n = stat(path, &st);
            report("stat", n);
            if (n == 0)
                printf("mode %s size %ld\n", S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ?
                       "reg" : "other", (long)st.st_size);
        }
        else if (!strcmp(op, "unlink"))
            report("unlink", unlink(path));
        else if (!strcmp(op, "mkdir"))
            report("mkdir", mkdir(path, 0));
        else if (!strcmp(op, "rmdir"))
            report("rmdir", rmdir(path));
        else if (!strcmp(op, "rename"))
            report("rename", rename(path, path2));
        else if (!strcmp(op, "access"))
            report("access", access(path, 0));
        else if (!strcmp(op, "ls"))
        {
            DIR *d = opendir(path);
            struct dirent *e;
            if (!d)
            {
                report("opendir", -1);
                continue;
            }
            while ((e = readdir(d)) != NULL)
                printf("entry %s %s %d\n", e->d_name, e->d_type == DT_DIR ? "dir" : "file",
                       e->d_namlen);
            report("closedir", closedir(d));
        }
        else if (!strcmp(op, "cd"))
            report("chdir", chdir(path));
        else if (!strcmp(op, "cwd"))
        {
            getcwd(buf, sizeof(buf));
            printf("cwd %s\n", buf);
        }
        else if (!strcmp(op, "dir"))
        {
            fd = open(path, O_RDONLY | O_DIRECTORY, 0);
            report("open", fd);
            if (fd >= 0)
            {
                report("read", read(fd, buf, 4));
                report("close", close(fd));
            }
        }
        else if (!strcmp(op, "mount"))
            report("dfs_mount", dfs_mount("sd0", path, "elm", 0, 0));
        else if (!strcmp(op, "unmount"))
            report("dfs_unmount", dfs_unmount(path));
        else if (!strcmp(op, "seek"))
        {
            fd = open(path, O_RDWR, 0);
            report("open", fd);
            if (fd >= 0)
            {
                report("lseek_end", lseek(fd, 0, SEEK_END));
                report("lseek_neg", lseek(fd, -100, SEEK_SET));
                report("lseek_bad", lseek(fd, 0, 7));
                report("ftruncate", ftruncate(fd, 2));
                report("lseek_cur", lseek(fd, 1, SEEK_SET));
                n = read(fd, buf, sizeof(buf) - 1);
                buf[n > 0 ? n : 0] = '\0';
                printf("read %d <%s>\n", n, buf);
                report("close", close(fd));
            }
        }
        else if (!strcmp(op, "badfd"))
        {
            report("read", read(77, buf, 1));
            report("close", close(9));
            report("write", write(15, "x", 1));
        }
    }
    return 0;
}
