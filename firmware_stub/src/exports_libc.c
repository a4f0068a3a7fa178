/* C library exports (RTM_EXPORT) for modules: RT-Thread's default list (dlsyms.c) plus the
 * rest of string.h, ctype.h, stdlib.h, stdio.h and setjmp.h. Referencing a function here is
 * also what links it from libc.a. Math is in exports_math.c, compiler helpers in
 * exports_aeabi.c, the kernel API and malloc family in exports_kernel.c. */
#define _GNU_SOURCE 1   /* memrchr, memmem, mempcpy, strchrnul, asprintf ... */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <reent.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rtm.h>

/* RT-Thread's default libc exports */
RTM_EXPORT(strcpy)
RTM_EXPORT(strncpy)
RTM_EXPORT(strlen)
RTM_EXPORT(strcat)
RTM_EXPORT(strstr)
RTM_EXPORT(strchr)
RTM_EXPORT(strcmp)
RTM_EXPORT(strtol)
RTM_EXPORT(strtoul)
RTM_EXPORT(strncmp)
RTM_EXPORT(memcpy)
RTM_EXPORT(memcmp)
RTM_EXPORT(memmove)
RTM_EXPORT(memset)
RTM_EXPORT(memchr)
RTM_EXPORT(putchar)
RTM_EXPORT(puts)
RTM_EXPORT(printf)
RTM_EXPORT(sprintf)
RTM_EXPORT(snprintf)
RTM_EXPORT(fwrite)
RTM_EXPORT(longjmp)
RTM_EXPORT(setjmp)
RTM_EXPORT(exit)
RTM_EXPORT(abort)
RTM_EXPORT(rand)
RTM_EXPORT(__assert_func)

/* string.h, strings.h */
RTM_EXPORT(strncat)
RTM_EXPORT(strrchr)
RTM_EXPORT(strspn)
RTM_EXPORT(strcspn)
RTM_EXPORT(strpbrk)
RTM_EXPORT(strtok)
RTM_EXPORT(strtok_r)
RTM_EXPORT(strsep)
RTM_EXPORT(strdup)
RTM_EXPORT(strndup)
RTM_EXPORT(strnlen)
RTM_EXPORT(strcasecmp)
RTM_EXPORT(strncasecmp)
RTM_EXPORT(strcasestr)
RTM_EXPORT(strerror)
RTM_EXPORT(strerror_r)
RTM_EXPORT(strcoll)
RTM_EXPORT(strxfrm)
RTM_EXPORT(strlcpy)
RTM_EXPORT(strlcat)
RTM_EXPORT(strchrnul)
RTM_EXPORT(stpcpy)
RTM_EXPORT(stpncpy)
RTM_EXPORT(memrchr)
RTM_EXPORT(memmem)
RTM_EXPORT(mempcpy)
RTM_EXPORT(memccpy)
RTM_EXPORT(bzero)
RTM_EXPORT(bcmp)
RTM_EXPORT(bcopy)
RTM_EXPORT(ffs)

/* ctype.h: the functions, and the table the classification macros read */
RTM_EXPORT(isalnum)
RTM_EXPORT(isalpha)
RTM_EXPORT(isascii)
RTM_EXPORT(isblank)
RTM_EXPORT(iscntrl)
RTM_EXPORT(isdigit)
RTM_EXPORT(isgraph)
RTM_EXPORT(islower)
RTM_EXPORT(isprint)
RTM_EXPORT(ispunct)
RTM_EXPORT(isspace)
RTM_EXPORT(isupper)
RTM_EXPORT(isxdigit)
RTM_EXPORT(toascii)
RTM_EXPORT(tolower)
RTM_EXPORT(toupper)
RTM_EXPORT(_ctype_)

/* the C library's state: stdin/stdout/stderr expand to _impure_ptr->_stdxxx, errno to
 * *__errno(); getc/putc macros call __srget_r/__swbuf_r */
RTM_EXPORT(_impure_ptr)
RTM_EXPORT(__errno)
RTM_EXPORT(__srget_r)
RTM_EXPORT(__swbuf_r)

/* stdlib.h */
RTM_EXPORT(qsort)
RTM_EXPORT(bsearch)
RTM_EXPORT(atoi)
RTM_EXPORT(atol)
RTM_EXPORT(atoll)
RTM_EXPORT(atof)
RTM_EXPORT(strtoll)
RTM_EXPORT(strtoull)
RTM_EXPORT(strtod)
RTM_EXPORT(strtof)
RTM_EXPORT(abs)
RTM_EXPORT(labs)
RTM_EXPORT(llabs)
RTM_EXPORT(div)
RTM_EXPORT(ldiv)
RTM_EXPORT(lldiv)
RTM_EXPORT(srand)
RTM_EXPORT(rand_r)
RTM_EXPORT(itoa)
RTM_EXPORT(utoa)

/* stdio.h: output */
RTM_EXPORT(fprintf)
RTM_EXPORT(vprintf)
RTM_EXPORT(vfprintf)
RTM_EXPORT(vsprintf)
RTM_EXPORT(vsnprintf)
RTM_EXPORT(asprintf)
RTM_EXPORT(vasprintf)
RTM_EXPORT(fputs)
RTM_EXPORT(fputc)
RTM_EXPORT(putc)
RTM_EXPORT(fflush)
RTM_EXPORT(setvbuf)
RTM_EXPORT(setbuf)
RTM_EXPORT(perror)

/* stdio.h: input (stdin reads end of file; sscanf is the useful one) */
RTM_EXPORT(scanf)
RTM_EXPORT(sscanf)
RTM_EXPORT(fscanf)
RTM_EXPORT(vscanf)
RTM_EXPORT(vsscanf)
RTM_EXPORT(vfscanf)
RTM_EXPORT(getchar)
RTM_EXPORT(getc)
RTM_EXPORT(fgetc)
RTM_EXPORT(fgets)
RTM_EXPORT(fread)
RTM_EXPORT(ungetc)
RTM_EXPORT(feof)
RTM_EXPORT(ferror)
RTM_EXPORT(clearerr)
