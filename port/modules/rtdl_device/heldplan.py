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

A plan is a list of members, the running module first and then every other module it may
write (imageprot.allowed): [start, end, read-only page runs, writable page runs, indices of
the members it holds open itself, also through them].
Imports: none.
"""


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
    for member in members:
        image = member.image
        held = []
        for other in guarded(member):
            if other in members:
                held.append(members.index(other))
        out.append([image.base, (image.base + image.size + page - 1) // page * page,
                    [list(run) for run in member.ro_pages],
                    [list(run) for run in member.rw_pages], held])
    return out
