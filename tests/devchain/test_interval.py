"""Interval mining (issue 19): `--block-time N` and anvil's evm_setIntervalMining seal a block every N seconds
with what the pool holds, timestamps exactly N apart, as a real chain's sequencer does."""

import time

import pytest

from devchain.__main__ import parse_args
from devchain.client import RPCErrorResponse
from devchain.testing import Wallet, running_devchain


def head(rpc) -> int:
    return int(rpc.call("eth_blockNumber"), 16)


def timestamp(rpc, number: int) -> int:
    return int(rpc.call("eth_getBlockByNumber", hex(number), False)["timestamp"], 16)


def wait_for_block(rpc, number: int, timeout: float = 3.0) -> float:
    """Waits until block `number` exists; returns when it was seen (time.monotonic())."""
    deadline = time.monotonic() + timeout
    while head(rpc) < number:
        assert time.monotonic() < deadline, f"block {number} not sealed within {timeout} s"
        time.sleep(0.02)
    return time.monotonic()


@pytest.fixture(scope="module")
def paced():
    """A chain of its own started with --block-time 1 (the shared one stays on automine)."""
    with running_devchain(extra_args=("--block-time", "1")) as running:
        yield running


def test_block_time_option_seals_one_block_a_second_with_what_waits(paced):
    rpc = paced.client
    assert rpc.call("anvil_getAutomine") is False
    assert rpc.call("anvil_getIntervalMining") == 1
    wallet = Wallet(rpc, paced.accounts[0].private_key, paced.chain_id)
    start = head(rpc)
    nonce = wallet.nonce()
    sent = [wallet.send(to=paced.accounts[1].checksum_address, value=1, gas=21000, nonce=nonce + i) for i in range(3)]
    assert rpc.call("eth_getTransactionReceipt", sent[0]) is None  # in the pool until the next seal
    assert len(rpc.call("eth_getBlockByNumber", "pending", False)["transactions"]) == 3
    wait_for_block(rpc, start + 1)
    blocks = {rpc.call("eth_getTransactionReceipt", h)["blockNumber"] for h in sent}
    assert blocks == {hex(start + 1)}, "transactions sent together are sealed together"
    # Empty blocks keep coming, a second apart in wall time and exactly a second apart in timestamps.
    first = wait_for_block(rpc, start + 2)
    second = wait_for_block(rpc, start + 3)
    assert 0.7 < second - first < 1.3
    assert rpc.call("eth_getBlockByNumber", hex(start + 2), False)["transactions"] == []
    stamps = [timestamp(rpc, n) for n in range(start, start + 4)]
    assert [b - a for a, b in zip(stamps, stamps[1:])] == [1, 1, 1]


def test_increased_time_is_added_to_the_next_step(paced):
    rpc = paced.client
    start = head(rpc) + 1
    wait_for_block(rpc, start)  # just after a seal, so the call lands well inside the interval
    rpc.call("evm_increaseTime", 100)
    wait_for_block(rpc, start + 2)
    assert timestamp(rpc, start + 1) - timestamp(rpc, start) == 101
    assert timestamp(rpc, start + 2) - timestamp(rpc, start + 1) == 1


def test_set_interval_mining_at_run_time(rpc, wallets, restore):
    assert rpc.call("anvil_getIntervalMining") is None
    assert rpc.call("evm_setIntervalMining", 1) is None
    assert rpc.call("anvil_getAutomine") is False and rpc.call("anvil_getIntervalMining") == 1
    start = head(rpc)
    pooled = wallets[3].send(to=wallets[4].address, value=1, gas=21000)
    assert rpc.call("eth_getTransactionReceipt", pooled) is None
    wait_for_block(rpc, start + 1, timeout=2.0)
    assert rpc.call("eth_getTransactionReceipt", pooled)["status"] == "0x1"
    # 0 stops the interval and leaves mining to evm_mine, as on anvil.
    assert rpc.call("anvil_setIntervalMining", "0x0") is None
    assert rpc.call("anvil_getIntervalMining") is None and rpc.call("anvil_getAutomine") is False
    stopped = head(rpc)
    time.sleep(1.3)
    assert head(rpc) == stopped
    # Automine on stops interval mining too.
    rpc.call("evm_setIntervalMining", 1)
    assert rpc.call("evm_setAutomine", True) is True
    assert rpc.call("anvil_getIntervalMining") is None
    before = head(rpc)
    time.sleep(1.3)
    assert head(rpc) == before


@pytest.mark.parametrize("seconds", [-1, 1.5, True, "two", "0x15181" + "0", 86_401])
def test_set_interval_mining_refuses_what_is_not_whole_seconds(rpc, seconds):
    with pytest.raises(RPCErrorResponse) as caught:
        rpc.call("evm_setIntervalMining", seconds)
    assert caught.value.code == -32602
    assert rpc.call("anvil_getIntervalMining") is None


@pytest.mark.parametrize("value", ["0", "-2", "86401"])
def test_block_time_option_range(value, capsys):
    with pytest.raises(SystemExit):
        parse_args(["--block-time", value])
    assert "--block-time" in capsys.readouterr().err
    assert parse_args(["--block-time", "12"]).block_time == 12
