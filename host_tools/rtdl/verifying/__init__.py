"""The parts of `rtdl verify` (rtdl/verify.py is the command: arguments, run, public names).

report    Finding, Report, UsageError, severities and module kinds, the text form
firmware  Firmware (exports, CPU, heap description) and boot_heap
checks    verify_data / verify_file: the device's own checks run on one module
plan      the dry-run load plan (plan_of, plan_text)

Imports: rtdl_device, rtdl_board.memory_map (RAM layout only), rtdl.firmware_info; checks imports
plan and report, nothing here imports rtdl.verify.
"""
