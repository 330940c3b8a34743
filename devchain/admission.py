"""Checks a raw transaction before it enters the pool, with geth's error wording.

py-evm would happily run a transaction signed for another chain, so the chain id is
checked here; the other checks give the caller geth's reasons instead of py-evm's texts.
"""

from dataclasses import dataclass

from eth.vm.forks.prague.state import PragueTransactionExecutor

from .encoding import data
from .errors import rejected

BLOB_TRANSACTION_TYPE = 3
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class ChainRules:
    """What a transaction is checked against: the chain and the block it would go into."""

    chain_id: int
    base_fee: int
    gas_limit: int


def decode_raw_transaction(builder, raw: bytes):
    if not raw:
        raise rejected("typed transaction too short")
    if raw[0] == BLOB_TRANSACTION_TYPE:
        raise rejected("transaction type not supported: blob transactions are not accepted")
    try:
        tx = builder.decode(raw)
        tx.validate()
    except Exception as error:  # py-evm raises rlp, validation and type errors alike
        raise rejected(f"invalid transaction encoding: {type(error).__name__}") from None
    return tx


def check_stateless(tx, rules: ChainRules) -> bytes:
    """Chain id, gas and fee sanity, signature; returns the sender."""
    if tx.chain_id is None:
        raise rejected("only replay-protected (EIP-155) transactions allowed over RPC")
    if tx.chain_id != rules.chain_id:
        raise rejected(f"invalid chain id for signer: have {tx.chain_id} want {rules.chain_id}")
    if tx.gas > rules.gas_limit:
        raise rejected(f"exceeds block gas limit: gas {tx.gas}, block gas limit {rules.gas_limit}")
    if not 0 < tx.s <= SECP256K1_ORDER // 2 or not 0 < tx.r < SECP256K1_ORDER:
        raise rejected("invalid transaction v, r, s values")  # EIP-2: only low-s signatures
    try:
        sender = tx.sender  # recovery fails for a signature that is not on the curve
    except Exception:
        raise rejected("invalid sender") from None
    if tx.max_priority_fee_per_gas > tx.max_fee_per_gas:
        raise rejected(
            f"max priority fee per gas higher than max fee per gas: address {data(sender)}, "
            f"maxPriorityFeePerGas: {tx.max_priority_fee_per_gas}, maxFeePerGas: {tx.max_fee_per_gas}"
        )
    if tx.gas < tx.intrinsic_gas:
        raise rejected(f"intrinsic gas too low: gas {tx.gas}, minimum needed {tx.intrinsic_gas}")
    floor = data_floor_gas(tx)
    if tx.gas < floor:
        raise rejected(f"insufficient gas for floor data gas cost: gas {tx.gas}, minimum needed {floor}")
    if tx.max_fee_per_gas < rules.base_fee:
        raise rejected(
            f"max fee per gas less than block base fee: address {data(sender)}, "
            f"maxFeePerGas: {tx.max_fee_per_gas}, baseFee: {rules.base_fee}"
        )
    return sender


def data_floor_gas(tx) -> int:
    """EIP-7623's minimum gas for the transaction's calldata (Prague)."""
    return PragueTransactionExecutor.calc_data_floor_gas(tx, 0, 0)


def check_against_state(tx, sender: bytes, state) -> int:
    """Nonce and balance against the latest state; returns the sender's state nonce."""
    state_nonce = state.get_nonce(sender)
    if tx.nonce < state_nonce:
        raise rejected(f"nonce too low: address {data(sender)}, tx: {tx.nonce} state: {state_nonce}")
    cost = tx.gas * tx.max_fee_per_gas + tx.value
    balance = state.get_balance(sender)
    if balance < cost:
        raise rejected(
            f"insufficient funds for gas * price + value: address {data(sender)} have {balance} want {cost}"
        )
    return state_nonce
