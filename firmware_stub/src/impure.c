/* newlib's reentrancy structure and the pointers to it, defined here instead of taken from
 * libc.a's impure.o: there the pointer and the structure share one input section, so the
 * linker could not put them on different pages. The structure is libc's state (stdio, errno,
 * rand, strtok), which module calls write through firmware code, and stays writable; the
 * pointer is set once here and never changes, so link.ld puts its section (.data._impure_ptr,
 * from -fdata-sections) on the firmware-variable pages that are read-only while modules run. */
#include <reent.h>

static struct _reent impure_data = _REENT_INIT(impure_data);

struct _reent *_impure_ptr = &impure_data;
struct _reent *const _global_impure_ptr = &impure_data;
