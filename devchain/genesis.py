"""Builds the py-evm chain: Prague rules, a configurable chain id, funded dev accounts.

eth-tester's own chain class hard-codes chain id 131277322940537; here the class is
made per chain id, so the CHAINID opcode and transaction validation see the configured one.
"""

from eth.chains.base import MiningChain
from eth.db import get_db_backend
from eth.vm.forks import PragueVM
from eth_tester.backends.pyevm.main import get_default_genesis_params
from eth_utils.toolz import assoc

DEFAULT_GAS_LIMIT = 30_000_000


class _DevMiningChain(MiningChain):
    vm_configuration = ((0, PragueVM),)

    def create_header_from_parent(self, parent_header, **header_params):
        # Every block keeps the genesis gas limit, as anvil does by default.
        return super().create_header_from_parent(
            parent_header, **assoc(header_params, "gas_limit", parent_header.gas_limit)
        )


def build_chain(chain_id: int, balances: dict[bytes, int], gas_limit: int = DEFAULT_GAS_LIMIT) -> MiningChain:
    chain_class = type(f"DevChain{chain_id}", (_DevMiningChain,), {"chain_id": chain_id})
    genesis_params = get_default_genesis_params({"gas_limit": gas_limit})
    genesis_state = {
        address: {"balance": balance, "nonce": 0, "code": b"", "storage": {}}
        for address, balance in balances.items()
    }
    return chain_class.from_genesis(get_db_backend(), genesis_params, genesis_state)
