/* rtcompiler.h - RT-Thread's compiler abstraction, GCC only (modules are built with
 * arm-none-eabi-gcc/g++). Both spellings are offered: the 4.x upper-case ones (ALIGN,
 * SECTION, RT_WEAK ...) that older sources use and the 5.x lower-case ones (rt_align,
 * rt_section, rt_weak ...). */
#ifndef __RT_COMPILER_H__
#define __RT_COMPILER_H__

#include <stdarg.h>

#define RT_STRINGIFY_(x...)     #x
#define RT_STRINGIFY(x...)      RT_STRINGIFY_(x)

#define rt_section(x)           __attribute__((section(x)))
#define rt_used                 __attribute__((used))
#define rt_align(n)             __attribute__((aligned(n)))
#define rt_weak                 __attribute__((weak))
#define rt_typeof               __typeof__
#define rt_noreturn             __attribute__((noreturn))
#define rt_inline               static __inline
#define rt_always_inline        static inline __attribute__((always_inline))
#define rt_packed(declare)      declare __attribute__((packed))

/* A table record (FSymTab, .rti_fn.N) must outlive --gc-sections: an exported dynamic symbol
 * keeps its section in a module's shared link, even under -fvisibility=hidden (this
 * toolchain ignores the retain attribute). C++ gives a namespace-scope const internal
 * linkage, hence the extern there. */
#define rt_keep                 __attribute__((used, visibility("default")))
#ifdef __cplusplus
#define rt_keep_linkage         extern
#else
#define rt_keep_linkage
#endif

#define SECTION(x)              rt_section(x)
#define RT_SECTION(x)           rt_section(x)
/* 5.x: RT_UNUSED(x) silences an unused variable or parameter */
#define RT_UNUSED(x)            ((void)(x))
#define rt_unused               __attribute__((unused))
#define RT_USED                 rt_used
#define ALIGN(n)                rt_align(n)
#define RT_WEAK                 rt_weak
#define RTT_API

#endif /* __RT_COMPILER_H__ */
