/* A C++ library (built --lib): two global objects whose constructors and destructors print,
 * and a C entry point reporting how many of them are alive. Opened with dlopen, their
 * constructors must run once at load and their destructors once when the last dlclose
 * unloads it. */
#include <stdio.h>

static int alive;

class Resource {
public:
    explicit Resource(const char *name) : name_(name) { alive++; printf("cxx_lib: open %s\n", name_); }
    ~Resource() { alive--; printf("cxx_lib: close %s\n", name_); }
private:
    const char *name_;
};

Resource uart("uart");
Resource spi("spi");

extern "C" int cxx_lib_alive(void)
{
    return alive;
}
