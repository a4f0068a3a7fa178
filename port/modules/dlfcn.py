# RT-Thread's name for rtdl_device.dlfcn on a MicroPython device: `import dlfcn` as on RT-Thread.
# Frozen by port/manifest.py only; the host distribution installs rtdl_device.dlfcn alone.
from rtdl_device.dlfcn import *  # noqa: F401,F403
