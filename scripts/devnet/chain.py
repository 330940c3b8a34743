"""The local chain: `python -m devchain` on a free port, and the dev methods the network uses."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from cloister_chain import Rpc, Signer
from devchain.accounts import dev_private_key
from devchain.testing import DevchainStartError, running_devchain

from . import DevnetError
from .accounts import ACCOUNT_COUNT

# Verifier and jury draws read the stakes of the previous 256-block epoch (contracts/lib/sampler.vy):
# a registration or stake change in epoch E counts for draws from epoch E + 1 on.
EPOCH_BLOCKS = 256


@dataclass
class Chain:
    """A running devchain: its URL, chain id and a JSON-RPC client (safe to share between threads), and its
    WebSocket endpoint (eth_subscribe("newHeads")), which nodes get as `chain.ws` when it is there."""

    url: str
    chain_id: int
    rpc: Rpc
    ws_url: str | None = None

    def signer(self, account: int) -> Signer:
        """A signer for dev account `account`."""
        return Signer(Rpc(self.url), dev_private_key(account), self.chain_id)

    def block_number(self) -> int:
        return int(self.rpc.call("eth_blockNumber"), 16)

    def block_timestamp(self, block: int | str = "latest") -> int:
        tag = hex(block) if isinstance(block, int) else block
        return int(self.rpc.call("eth_getBlockByNumber", tag, False)["timestamp"], 16)

    def advance(self, seconds: int, blocks: int) -> None:
        """Moves the clock `seconds` ahead and mines `blocks` blocks (the first one carries the jump)."""
        self.rpc.call("evm_increaseTime", seconds)
        self.rpc.call("anvil_mine", hex(blocks))

    def into_draw_epoch(self, since_block: int) -> int:
        """Mines empty blocks until stake changes made at or before `since_block` are in force for verifier
        and jury draws: at least 257 blocks past it, up to the next epoch boundary (so block // 256 has
        increased). Returns the number of blocks mined (0 if the head is already there)."""
        target = since_block + EPOCH_BLOCKS + 1
        target = -(-target // EPOCH_BLOCKS) * EPOCH_BLOCKS
        blocks = target - self.block_number()
        if blocks > 0:
            self.rpc.call("anvil_mine", hex(blocks))
        return max(blocks, 0)

    def set_block_time(self, seconds: int | None) -> None:
        """Mines a block every `seconds` with what the pool holds (evm_setIntervalMining); None goes back to
        automine (a block per transaction, the dev network's default)."""
        if seconds:
            self.rpc.call("evm_setIntervalMining", seconds)
        else:
            self.rpc.call("evm_setAutomine", True)

    def pending_transactions(self) -> list[str]:
        """Hashes of the transactions waiting in the pool for the next block."""
        return self.rpc.call("eth_getBlockByNumber", "pending", False)["transactions"]

    def nonces(self, address: str) -> tuple[int, int]:
        """(latest, pending) transaction counts: equal when the account has nothing in flight and no gap."""
        return tuple(int(self.rpc.call("eth_getTransactionCount", address, tag), 16) for tag in ("latest", "pending"))


@contextmanager
def local_chain(chain_id: int = 31337):
    """Yields a Chain with ACCOUNT_COUNT funded dev accounts and a WebSocket endpoint; the server is stopped on exit."""
    try:
        with running_devchain(chain_id=chain_id, accounts=ACCOUNT_COUNT, extra_args=("--ws-port", "0")) as server:
            yield Chain(server.url, server.chain_id, Rpc(server.url), server.ws_url)
    except DevchainStartError as error:
        raise DevnetError(f"local chain: {error}") from error


@contextmanager
def block_ticker(chain: Chain, interval: float = 1.0):
    """Mines an empty block every `interval` seconds, as a real chain would: under automine a block comes
    only with a transaction, so without it the last requests would never reach a confirmation depth."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(interval):
            try:
                chain.rpc.call("evm_mine")
            except OSError:  # the chain is gone; whoever uses it next reports that
                return

    ticker = threading.Thread(target=tick, name="block ticker", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
