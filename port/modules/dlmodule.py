# RT-Thread's name for rtdl_device.dlmodule on a MicroPython device: `import dlmodule` as on RT-Thread.
# Frozen by port/manifest.py only; the host distribution installs rtdl_device.dlmodule alone.
from rtdl_device.dlmodule import *  # noqa: F401,F403
