"""The host ends of the board's devices: the image files behind `--disk NAME=IMAGE` and the
ptys, sockets and commands behind `--serial NAME=SPEC`, opened and checked in the order the
board registers them. Used by Board (the CPython kernel registers them itself) and by the
MicroPython runtime, whose bridge serves them from this process
(rtdl.mpy_runtime.host_devices). Imports host_disk and host_serial when first used (their
sockets and subprocess modules cost a start-up 7 ms), and rtdl_device.rterror.
"""
from rtdl_device.rterror import RtdlError


class BoardDeviceError(RtdlError):
    """A --disk or --serial option the board cannot set up."""


def open_host_ends(disks, serials):
    """The host ends of `disks` ({name: image path}) and `serials` ({name: SPEC}), in the
    order the board registers them: [(kind "disk" | "serial", name, endpoint)]. A bad image,
    SPEC or name is a BoardDeviceError naming the option, and whatever was opened before it
    is let go. The CPython kernel registers them itself; under the MicroPython runtime they
    stay in this process and the bridge serves them (rtdl.mpy_runtime.host_devices)."""
    from . import host_disk, host_serial
    opened = []
    try:
        for name, path in disks.items():
            try:
                endpoint = host_disk.HostDisk(path)
            except host_disk.DiskImageError as error:
                raise BoardDeviceError("--disk %s=%s: %s" % (name, path, error))
            _check_name(opened, name, endpoint, "--disk")
            opened.append(("disk", name, endpoint))
        for name, spec in serials.items():
            try:
                endpoint = host_serial.open_transport(name, spec)
            except (host_serial.SerialSpecError, OSError) as error:
                raise BoardDeviceError("--serial %s=%s: %s" % (name, spec, error))
            _check_name(opened, name, endpoint, "--serial")
            opened.append(("serial", name, endpoint))
    except BoardDeviceError:
        for _, _, endpoint in opened:
            endpoint.close()
        raise
    return opened


def _check_name(opened, name, endpoint, option):
    problem = None
    if not name or len(name.encode()) > 8 or not name.isprintable():
        problem = "expected a name of 1..8 characters (RT_NAME_MAX)"
    elif any(other == name for _, other, _ in opened):
        problem = "a device of that name is already registered"
    if problem is not None:
        endpoint.close()
        raise BoardDeviceError("%s %s=...: %s" % (option, name, problem))
