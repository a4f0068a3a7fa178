"""Paths inside rtdl's source checkout, for the developer tools that work on it (fuzz seeds,
portable test data, the freeze manifest). An installed wheel has no checkout: these tools are
for developing rtdl itself, and nothing a user runs depends on them."""
import os

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_MODULES = os.path.join(CHECKOUT, "tests", "modules")
BUILD_FIRMWARE = os.path.join(CHECKOUT, "build", "firmware", "firmware.elf")
