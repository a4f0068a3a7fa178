/* The order of C++ construction and destruction in a module: three global objects
 * (.init_array, destructors registered with __aeabi_atexit), a C-style constructor and
 * destructor (.init_array/.fini_array), a function-local static (constructed on first use,
 * __cxa_guard_*), RT-Thread's module_init/module_cleanup hooks, and new/delete,
 * new[]/delete[] pairs checked against rt_memory_info. */
#include <stdio.h>

#include <dlmodule.h>

class Tracer {
public:
    explicit Tracer(const char *name) : name_(name) { printf("construct %s\n", name_); }
    ~Tracer() { printf("destroy %s\n", name_); }
    const char *name() const { return name_; }
private:
    const char *name_;
};

Tracer first("first");
Tracer second("second");
Tracer third("third");

__attribute__((constructor)) static void c_constructor(void)
{
    printf("C constructor\n");
}

__attribute__((destructor)) static void c_destructor(void)
{
    printf("C destructor\n");
}

extern "C" void module_init(struct rt_dlmodule *module)
{
    printf("module_init(%s): %s is alive\n", module->name, third.name());
}

extern "C" void module_cleanup(struct rt_dlmodule *module)
{
    printf("module_cleanup(%s): %s is alive\n", module->name, first.name());
}

static Tracer &on_first_use()
{
    static Tracer local("local static");
    return local;
}

static rt_size_t heap_used()
{
    rt_size_t used;

    rt_memory_info(NULL, &used, NULL);
    return used;
}

int main(int argc, char *argv[])
{
    rt_size_t before = heap_used();

    printf("main: %s\n", on_first_use().name());
    printf("main: %s again\n", on_first_use().name());

    // volatile pointers: gcc may otherwise elide a new/delete pair whose memory does not escape
    Tracer *volatile one = new Tracer("new");
    delete one;
    int *volatile numbers = new int[100];
    for (int i = 0; i < 100; i++)
        numbers[i] = i;
    printf("new int[100]: sum %d\n", numbers[10] + numbers[99]);
    delete[] numbers;
    Tracer *volatile many = new Tracer[2]{Tracer("array 0"), Tracer("array 1")};
    delete[] many;
    printf("heap after new/delete pairs: %s\n", heap_used() == before ? "as before" : "changed");
    return 0;
}
