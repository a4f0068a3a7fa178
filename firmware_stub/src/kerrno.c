/* rt_strerror: the short name RT-Thread's kernel prints for one of its error codes (either
 * sign), "EUNKNOW" for any other value. Codes 0-10 carry RT-Thread's historical spellings
 * (RT_ETIMEOUT prints "ETIMOUT"); the later ones their macro's name without RT_. */
#include <rtthread.h>

static const char *const rt_error_names[] =
{
    "OK", "ERROR", "ETIMOUT", "ERSFULL", "ERSEPTY", "ENOMEM", "ENOSYS", "EBUSY", "EIO",
    "EINTRPT", "EINVAL", "ENOENT", "ENOSPC", "EPERM", "ETRAP", "EFAULT", "ENOBUFS",
    "ESCHEDISR", "ESCHEDLOCKED",
};

const char *rt_strerror(rt_err_t error)
{
    rt_err_t code = error < 0 ? -error : error;
    if (code < 0 || code >= (rt_err_t)(sizeof(rt_error_names) / sizeof(rt_error_names[0])))
        return "EUNKNOW";
    return rt_error_names[code];
}
