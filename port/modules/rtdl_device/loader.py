"""The module loader's public names, in one place for the kernel, msh and host tools.

The loader is split like Zephyr's llext: load.py (parse + place into a layout), layout.py
(ET_DYN segments and ET_REL sections behind one interface), link.py (one link loop through the
shared relocation table in arm_reloc), install.py (prepare the image, heap block, write,
invalidate). Imports: arm_reloc, install, layout, link, load.
"""
from . import arm_reloc  # noqa: F401  (tests reach the table as loader.arm_reloc)
from .install import RT_NAME_MAX, image_block, load_image, module_name, prepare  # noqa: F401
from .layout import ENTRY_SYMBOL, GOT_SYMBOL, VENEER_SIZE  # noqa: F401
from .link import Linker  # noqa: F401
from .load import MAX_IMAGE_SIZE, parse, place  # noqa: F401
