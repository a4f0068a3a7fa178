"""What the board needs to switch between a module and the libraries it holds open, driven
by faults (issue 10, imageprot.py): a library's functions run on their caller's thread, so
page permissions cannot follow the thread alone. The board (memory.held_modes,
rtdl_board/heldmodes.py) keeps one member of the plan - the running module, a library it
holds - in force at a time, the one whose code ran last: only its code is executable, so
the first fetch from another member's code (a call into a library, the return, a callback)
faults and switches to that member. In a member's mode only its own data and that of the
members holding it (the buffers its callers hand it) are writable, not that of the libraries
it holds nor of the other libraries its holder holds: a store there by its own code, or by
firmware code it called (memcpy, sprintf), is a real fault, named as imageprot names it.
No instruction hook: only calls between the members cost anything (two faults and some
page-permission changes a call), and only modules holding a library open pay them.

What a member may write of a member it holds, in its own mode, is narrower than "nothing":
C in one address space legitimately stores into a library's variables, so a store (by the
member's code, or firmware code it called) into a library it holds is carried out by the
board when it lies inside an object the member may write (heldobjects.py): an object the
library exports (what dlsym, or the linker, would give it), or one whose address the library
handed out - in r0/r1 when the library's code returned into the member's, in r0-r3 when it
called the member's code (a callback), seen at the fetch fault that switches back. The same
for a library writing a library it holds (chains). Any other store there (a non-exported
static reached by a wild address, a store past a handed-out object's end) faults at the
store; a sibling's data (another library its holder holds) it may not write at all.

A plan is a list of members, the running module first and then every other module it may
write (imageprot.allowed): [start, end, read-only page runs, writable page runs, indices of
the members it holds open itself, also through them, the member's load number (so the
board's record of what was handed out dies with the load), then heldobjects.objects: its
exported objects, every sized object, its data sections, each a flat [address, size, ...]].
Imports: heldobjects.
"""
from . import heldobjects

_loads = [0]              # the last load number given to a module (see load_number)


def guarded(module):
    """The modules `module` holds open, also through the libraries it holds, but not itself:
    only their own code writes their data."""
    found = []
    todo = [module]
    while todo:
        for other in getattr(todo.pop(), "holds", ()):
            if other is not module and other not in found:
                found.append(other)
                todo.append(other)
    return found


def plan(module, allowed, page):
    """The plan (see above) for `module` running, `allowed` being what it may write."""
    members = [module]
    for other in allowed:
        if other is not module and other.image is not None and other.rw_pages:
            members.append(other)
    out = []
    targets = []
    for member in members:
        image = member.image
        held = []
        for other in guarded(member):
            if other in members:
                held.append(members.index(other))
                if other not in targets:
                    targets.append(other)
        out.append([image.base, (image.base + image.size + page - 1) // page * page,
                    [list(run) for run in member.ro_pages],
                    [list(run) for run in member.rw_pages], held, load_number(member)])
    for index in range(len(members)):
        # only a member some member holds is ever written as a library (the objects)
        if members[index] in targets:
            out[index].extend(heldobjects.objects(members[index].image))
        else:
            out[index].extend([[], [], []])
    return out


def load_number(module):
    """A number no other load of a module had (an image unloaded and loaded again at the same
    address is a new one)."""
    number = getattr(module, "held_load", None)
    if number is None:
        _loads[0] += 1
        number = module.held_load = _loads[0]
    return number
