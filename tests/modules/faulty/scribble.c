/* Writes through wild pointers into what outlives it, by argv[1]:
 *   idle  another thread's struct rt_thread: tidle0's entry and priority
 *   sem   the semaphore of the library intlib (which stays loaded): its value and name
 *   code  intlib's code: the first instructions of lib_add
 * Nothing traps the write into a control block; the kernel must find it when the program
 * ends, put it back and report it as this program's fault. The write into code faults at
 * the store: code pages are read-only (imageprot.py). */
#include <rtthread.h>
#include <dlfcn.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (strcmp(what, "idle") == 0) {
        rt_thread_t idle = rt_thread_find("tidle0");
        idle->entry = (void (*)(void *))0x1234;
        idle->current_priority = 3;
        return 0;
    }
    void *lib = dlopen("intlib.so", RTLD_NOW);
    if (!lib) {
        rt_kprintf("no intlib\n");
        return 2;
    }
    if (strcmp(what, "sem") == 0) {
        rt_sem_t (*get)(void) = (rt_sem_t (*)(void))dlsym(lib, "lib_sem");
        rt_sem_t sem = get();
        sem->value = 77;
        memcpy(sem->parent.parent.name, "XXXXXXX", 8);
    } else if (strcmp(what, "code") == 0) {
        volatile rt_uint16_t *code = (volatile rt_uint16_t *)((rt_uint32_t)dlsym(lib, "lib_add") & ~1u);
        code[0] = 0xde00;              /* udf #0 */
        code[1] = 0xde00;
    }
    dlclose(lib);
    return 0;
}
