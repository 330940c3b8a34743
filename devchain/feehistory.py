"""eth_feeHistory with geth's semantics: the oldest block, next block's base fee, gas-weighted tip percentiles."""

from .blocktags import block_number
from .encoding import parse_quantity, quantity
from .errors import invalid_params, rejected
from .serialize import effective_tip

MAX_BLOCK_COUNT = 1024


def parse_percentiles(raw) -> list[float]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise invalid_params("rewardPercentiles: expected a list of numbers")
    percentiles = []
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise invalid_params(f"invalid reward percentile: {value!r}")
        if percentiles and value < percentiles[-1]:
            raise invalid_params(f"invalid reward percentile: {value} after {percentiles[-1]}")
        percentiles.append(float(value))
    return percentiles


def block_rewards(record, percentiles: list[float]) -> list[str]:
    """Tips at each percentile of the block's gas, as geth computes them (0 for an empty block)."""
    block = record.block
    if not block.transactions:
        return [quantity(0)] * len(percentiles)
    base_fee = block.header.base_fee_per_gas
    gas_used = [int(r["gasUsed"], 16) for r in record.receipts]
    sorted_txs = sorted(zip((effective_tip(tx, base_fee) for tx in block.transactions), gas_used),
                        key=lambda pair: pair[0])
    rewards, index, cumulative = [], 0, sorted_txs[0][1]
    for percentile in percentiles:
        threshold = block.header.gas_used * percentile / 100
        while cumulative < threshold and index < len(sorted_txs) - 1:
            index += 1
            cumulative += sorted_txs[index][1]
        rewards.append(quantity(sorted_txs[index][0]))
    return rewards


def fee_history(chain, count_param, newest_param, percentiles_param=None) -> dict:
    count = min(parse_quantity(count_param, "blockCount", 2**64 - 1), MAX_BLOCK_COUNT)
    percentiles = parse_percentiles(percentiles_param)
    newest = block_number(chain, newest_param)
    if newest > chain.head_number:
        raise rejected(f"request beyond head block: requested {newest}, head {chain.head_number}")
    if count == 0:
        return {"oldestBlock": quantity(0), "baseFeePerGas": [], "gasUsedRatio": []}
    oldest = max(0, newest - count + 1)
    records = [chain.canonical_record(n) for n in range(oldest, newest + 1)]
    headers = [r.block.header for r in records]
    result = {
        "oldestBlock": quantity(oldest),
        "baseFeePerGas": [quantity(h.base_fee_per_gas) for h in headers] + [quantity(chain.base_fee_after(newest))],
        "gasUsedRatio": [h.gas_used / h.gas_limit for h in headers],
    }
    if percentiles:
        result["reward"] = [block_rewards(r, percentiles) for r in records]
    return result

