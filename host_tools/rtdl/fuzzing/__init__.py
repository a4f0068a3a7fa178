"""The parts of `python -m rtdl.fuzz` (rtdl/fuzz.py is its entry point and public names).

mutate   Seed, Table, Mutator: where a seed's ELF tables are and how a case edits them
harness  Harness and its checks: one reused board, guarded writes, before/after comparison
engine   the case loop, wall-clock bound, findings and replay
seeds    the seed modules and their build
cli      the command line

Imports: rtdl (api, build, devtree), rtdl_device, unicorn; mutate imports no board and no
unicorn, so it can be used on bytes alone. Nothing here imports rtdl.fuzz.
"""
