/* dlfcn.h - POSIX libdl as provided by RT-Thread. */
#ifndef __DLFCN_H_
#define __DLFCN_H_

#ifdef __cplusplus
extern "C" {
#endif

#define RTLD_LAZY       0x00000
#define RTLD_NOW        0x00001
#define RTLD_GLOBAL     0x10000
#define RTLD_LOCAL      0x00000

void *dlopen(const char *filename, int flag);
const char *dlerror(void);
void *dlsym(void *handle, const char *symbol);
int dlclose(void *handle);

#ifdef __cplusplus
}
#endif

#endif /* __DLFCN_H_ */
