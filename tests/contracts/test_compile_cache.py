"""The compile cache behind every deployment (`cloister_chain.compile_contract`): a cached output is what the
compiler gives for the same sources, and any change to any source or interface under contracts/ is a miss."""
import shutil
import sys

import cloister_kit as K

sys.path.insert(0, str(K.ROOT / "scripts"))

import cloister_chain  # noqa: E402


def test_a_cached_contract_is_what_the_compiler_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(cloister_chain, "COMPILE_CACHE", tmp_path / "cache")
    fresh = cloister_chain.compile_contract("WrapCheck.vy")
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1
    assert cloister_chain.compile_contract("WrapCheck.vy") == fresh
    # what is read back is the file, not a copy kept in memory: a planted file is returned as it is
    files[0].write_text('{"abi": [], "bytecode": "0x00"}')
    assert cloister_chain.compile_contract("WrapCheck.vy") == {"abi": [], "bytecode": "0x00"}


def test_any_source_change_is_a_miss(tmp_path, monkeypatch):
    contracts = tmp_path / "contracts"
    shutil.copytree(cloister_chain.CONTRACTS, contracts)
    monkeypatch.setattr(cloister_chain, "CONTRACTS", contracts)
    before = cloister_chain._sources_digest()
    for changed in (contracts / "lib" / "types.vy", contracts / "interfaces" / "ICloister.vyi"):
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n# touched\n")
        assert cloister_chain._sources_digest() != before, changed
        changed.write_bytes(original)
        assert cloister_chain._sources_digest() == before
    (contracts / "lib" / "new_module.vy").write_text("# a new module\n")
    assert cloister_chain._sources_digest() != before
