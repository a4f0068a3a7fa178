"""The per-user firmware cache's key (rtdl_firmware.cache_key): the digest of the firmware's
inputs, kept under a stamp of their sizes and times so that a run whose inputs have not
changed finds it without reading them or running the compiler, and worked out anew when one
changes."""
import os

import pytest

import rtdl_firmware


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    """A firmware 'source tree' of one file, and a cache of its own."""
    source = tmp_path / "src" / "kernel.c"
    source.parent.mkdir()
    source.write_text("int main(void) { return 0; }\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(rtdl_firmware, "_sources", lambda: iter([str(source)]))
    return source


def test_the_key_is_the_contents_digest_and_is_found_again_without_it(inputs, monkeypatch):
    key = rtdl_firmware.cache_key()
    assert key == rtdl_firmware.content_key(inputs=[str(inputs), rtdl_firmware.services_path(),
                                                    _gen_veneers()])
    assert len(os.listdir(os.path.join(os.path.dirname(rtdl_firmware.cache_root()), "firmware-keys"))) == 1

    def never(*args, **kwargs):
        raise AssertionError("the kept key was worked out again")
    monkeypatch.setattr(rtdl_firmware, "content_key", never)
    assert rtdl_firmware.cache_key() == key


def test_a_changed_input_or_target_gives_a_new_key(inputs):
    key = rtdl_firmware.cache_key()
    inputs.write_text("int main(void) { return 1; }  /* longer */\n")
    changed = rtdl_firmware.cache_key()
    assert changed != key
    assert rtdl_firmware.cache_key("-mcpu=cortex-m3 -mthumb -mfloat-abi=soft") not in (key,
                                                                                        changed)


def test_a_damaged_memo_is_worked_out_again(inputs):
    key = rtdl_firmware.cache_key()
    keys = os.path.join(os.path.dirname(rtdl_firmware.cache_root()), "firmware-keys")
    for name in os.listdir(keys):
        with open(os.path.join(keys, name), "w") as stream:
            stream.write("garbage")
    assert rtdl_firmware.cache_key() == key


def _gen_veneers():
    from rtdl import gen_veneers
    return os.path.abspath(gen_veneers.__file__)
