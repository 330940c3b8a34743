"""JSON shapes of blocks, transactions, receipts and logs, as geth returns them."""

import rlp
from eth._utils.address import generate_contract_address

from .encoding import data, quantity

LEGACY_TYPE = 0
ACCESS_LIST_TYPE = 1
SET_CODE_TYPE = 4


def transaction_type(tx) -> int:
    return tx.type_id if tx.type_id is not None else LEGACY_TYPE


def effective_gas_price(tx, base_fee: int) -> int:
    """What the sender pays per gas; for legacy transactions fee cap and tip are both gasPrice."""
    return min(tx.max_fee_per_gas, tx.max_priority_fee_per_gas + base_fee)


def effective_tip(tx, base_fee: int) -> int:
    return effective_gas_price(tx, base_fee) - base_fee


def contract_address(tx, sender: bytes) -> bytes | None:
    return generate_contract_address(sender, tx.nonce) if tx.to == b"" else None


def word(value: int) -> str:
    return data(value.to_bytes(32, "big"))


def _access_list(tx) -> list:
    return [
        {"address": data(address), "storageKeys": [word(slot) for slot in slots]}
        for address, slots in tx.access_list
    ]


def transaction_json(tx, sender: bytes, location: tuple | None) -> dict:
    """`location` is (block hash, block number, index, base fee) for a mined transaction, None for a pooled one."""
    kind = transaction_type(tx)
    block_hash, number, index, base_fee = location if location else (None, None, None, None)
    result = {
        "type": quantity(kind),
        "hash": data(tx.hash),
        "nonce": quantity(tx.nonce),
        "blockHash": data(block_hash) if block_hash else None,
        "blockNumber": quantity(number) if location else None,
        "transactionIndex": quantity(index) if location else None,
        "from": data(sender),
        "to": data(tx.to) if tx.to else None,
        "value": quantity(tx.value),
        "gas": quantity(tx.gas),
        "input": data(tx.data),
    }
    if kind in (LEGACY_TYPE, ACCESS_LIST_TYPE):
        result["gasPrice"] = quantity(tx.gas_price)
    else:
        result["maxFeePerGas"] = quantity(tx.max_fee_per_gas)
        result["maxPriorityFeePerGas"] = quantity(tx.max_priority_fee_per_gas)
        price = effective_gas_price(tx, base_fee) if location else tx.max_fee_per_gas
        result["gasPrice"] = quantity(price)
    if kind == LEGACY_TYPE:
        if tx.chain_id is not None:
            result["chainId"] = quantity(tx.chain_id)
        result["v"] = quantity(tx.v)
    else:
        result["chainId"] = quantity(tx.chain_id)
        result["accessList"] = _access_list(tx)
        result["yParity"] = quantity(tx.y_parity)
        result["v"] = quantity(tx.y_parity)
    if kind == SET_CODE_TYPE:
        result["authorizationList"] = [
            {
                "chainId": quantity(auth.chain_id),
                "address": data(auth.address),
                "nonce": quantity(auth.nonce),
                "yParity": quantity(auth.y_parity),
                "r": quantity(auth.r),
                "s": quantity(auth.s),
            }
            for auth in tx.authorization_list
        ]
    result["r"] = quantity(tx.r)
    result["s"] = quantity(tx.s)
    return result


def header_json(header) -> dict:
    result = {
        "number": quantity(header.block_number),
        "hash": data(header.hash),
        "parentHash": data(header.parent_hash),
        "nonce": data(header.nonce),
        "sha3Uncles": data(header.uncles_hash),
        "logsBloom": data(header.bloom.to_bytes(256, "big")),
        "transactionsRoot": data(header.transaction_root),
        "stateRoot": data(header.state_root),
        "receiptsRoot": data(header.receipt_root),
        "miner": data(header.coinbase),
        "difficulty": quantity(header.difficulty),
        "extraData": data(header.extra_data),
        "gasLimit": quantity(header.gas_limit),
        "gasUsed": quantity(header.gas_used),
        "timestamp": quantity(header.timestamp),
        "mixHash": data(header.mix_hash),
        "baseFeePerGas": quantity(header.base_fee_per_gas),
        "withdrawalsRoot": data(header.withdrawals_root),
        "blobGasUsed": quantity(header.blob_gas_used),
        "excessBlobGas": quantity(header.excess_blob_gas),
        "parentBeaconBlockRoot": data(header.parent_beacon_block_root),
    }
    requests_hash = getattr(header, "requests_hash", None)
    if requests_hash is not None:
        result["requestsHash"] = data(requests_hash)
    return result


def block_json(block, transactions: list) -> dict:
    """`transactions` is already shaped: hashes or full transaction objects."""
    result = header_json(block.header)
    result["size"] = quantity(len(rlp.encode(block)))
    result["transactions"] = transactions
    result["uncles"] = []
    result["withdrawals"] = [
        {
            "index": quantity(w.index),
            "validatorIndex": quantity(w.validator_index),
            "address": data(w.address),
            "amount": quantity(w.amount),
        }
        for w in block.withdrawals
    ]
    return result
