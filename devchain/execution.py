"""eth_call and eth_estimateGas: run a message on a state without a signature or a fee check.

Unlike eth-tester, the caller need not afford gas (a zero gas price is the default, as in
geth), `from` may be absent (the zero address), and gas is estimated by a short search
this module controls instead of py-evm's ~25-run bisection.
"""

from dataclasses import dataclass

from eth.exceptions import (
    ContractCreationCollision, FullStack, InsufficientFunds, InsufficientStack, InvalidInstruction,
    InvalidJumpDestination, OutOfBoundsRead, OutOfGas, ReservedBytesInCode, Revert, StackDepthLimit,
    WriteProtection,
)
from eth.vm.spoof import SpoofTransaction
from eth_abi import decode as abi_decode

from .admission import data_floor_gas
from .encoding import data, parse_address, parse_data, parse_quantity
from .errors import EXECUTION_REVERTED, RPCError, invalid_params, rejected

ZERO_ADDRESS = b"\x00" * 20
ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
PANIC_SELECTOR = bytes.fromhex("4e487b71")  # Panic(uint256)
CALL_STIPEND = 2300
ESTIMATE_TOLERANCE_PER_MILLE = 5  # stop the search once within 0.5% of the minimum

_FAILURE_TEXT = {
    OutOfGas: "out of gas",
    InvalidInstruction: "invalid opcode",
    InvalidJumpDestination: "invalid jump destination",
    StackDepthLimit: "max call depth exceeded",
    InsufficientFunds: "insufficient balance for transfer",
    ContractCreationCollision: "contract address collision",
    WriteProtection: "write protection",
    InsufficientStack: "stack underflow",
    FullStack: "stack limit reached 1024",
    OutOfBoundsRead: "return data out of bounds",
    ReservedBytesInCode: "invalid code: must not begin with 0xef",
}


@dataclass(frozen=True)
class CallRequest:
    sender: bytes
    to: bytes  # b"" creates a contract
    gas: int | None
    gas_price: int
    value: int
    data: bytes
    access_list: tuple


def parse_call_request(obj, base_fee: int) -> CallRequest:
    if not isinstance(obj, dict):
        raise invalid_params("transaction: expected an object")
    sender = parse_address(obj["from"], "from") if obj.get("from") is not None else ZERO_ADDRESS
    to = parse_address(obj["to"], "to") if obj.get("to") is not None else b""
    gas = parse_quantity(obj["gas"], "gas", 2**64 - 1) if obj.get("gas") is not None else None
    payload = _payload(obj)
    value = parse_quantity(obj["value"], "value") if obj.get("value") is not None else 0
    return CallRequest(sender, to, gas, _gas_price(obj, base_fee), value, payload, _access_list(obj.get("accessList")))


def _payload(obj) -> bytes:
    given = {key: parse_data(obj[key], key) for key in ("input", "data") if obj.get(key) is not None}
    if len(given) == 2 and given["input"] != given["data"]:
        raise invalid_params('both "data" and "input" are set and not equal')
    return given.get("input", given.get("data", b""))


def _gas_price(obj, base_fee: int) -> int:
    if obj.get("gasPrice") is not None:
        if obj.get("maxFeePerGas") is not None or obj.get("maxPriorityFeePerGas") is not None:
            raise invalid_params("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")
        return parse_quantity(obj["gasPrice"], "gasPrice")
    if obj.get("maxFeePerGas") is None:
        return 0
    fee_cap = parse_quantity(obj["maxFeePerGas"], "maxFeePerGas")
    tip = parse_quantity(obj.get("maxPriorityFeePerGas") or "0x0", "maxPriorityFeePerGas")
    return min(fee_cap, tip + base_fee)


def _access_list(raw) -> tuple:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise invalid_params("accessList: expected a list")
    entries = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("storageKeys", []), list):
            raise invalid_params("accessList: expected {address, storageKeys} objects")
        slots = tuple(int.from_bytes(parse_data(k, "storageKeys", 32), "big") for k in item.get("storageKeys", []))
        entries.append((parse_address(item.get("address"), "accessList.address"), slots))
    return tuple(entries)


class MessageRunner:
    """Runs a CallRequest on a state and always leaves that state as it found it."""

    def __init__(self, state, builder, chain_id: int, gas_cap: int):
        self._state = state
        self._builder = builder
        self._chain_id = chain_id
        self._gas_cap = gas_cap

    def transaction(self, request: CallRequest, gas: int):
        unsigned = self._builder.new_unsigned_access_list_transaction(
            chain_id=self._chain_id, nonce=self._state.get_nonce(request.sender), gas_price=request.gas_price,
            gas=gas, to=request.to, value=request.value, data=request.data, access_list=request.access_list,
        )
        return SpoofTransaction(unsigned, from_=request.sender)

    def run(self, request: CallRequest, gas: int):
        """Executes with exactly `gas` (intrinsic included), skipping signature, nonce and fee checks."""
        tx = self.transaction(request, gas)
        if gas < tx.intrinsic_gas:
            raise rejected(f"intrinsic gas too low: gas {gas}, minimum needed {tx.intrinsic_gas}")
        state = self._state
        snapshot = state.snapshot()
        try:
            executor = state.get_transaction_executor()
            message = executor.build_evm_message(tx)
            return executor.build_computation(message, tx)
        finally:
            state.revert(snapshot)
            state.clear_transient_storage()

    def call(self, request: CallRequest) -> bytes:
        gas = self._budget(request, cap_by_funds=False)
        computation = self.run(request, gas)
        if computation.is_error:
            raise failure_error(computation)
        return computation.output

    def estimate(self, request: CallRequest) -> int:
        cap = self._budget(request, cap_by_funds=True)
        probe = self.transaction(request, cap)
        floor = max(probe.intrinsic_gas, data_floor_gas(probe))
        if cap < floor:
            raise rejected(f"gas required exceeds allowance ({cap})")
        if request.to and not request.data and not self._state.get_code(request.to):
            return floor  # a plain transfer needs exactly its intrinsic gas, as geth answers
        first = self.run(request, cap)
        if first.is_error:
            if isinstance(first.error, OutOfGas):
                raise rejected(f"gas required exceeds allowance ({cap})")
            raise failure_error(first)
        used = cap - first.get_gas_remaining()
        low, high = max(used, floor) - 1, cap
        optimistic = (used + first.get_gas_refund() + CALL_STIPEND) * 64 // 63
        for guess in (used, optimistic):
            if low < guess < high:
                if self._succeeds(request, guess):
                    high = guess
                    break
                low = guess
        while high - low > 1 and (high - low) * 1000 > high * ESTIMATE_TOLERANCE_PER_MILLE:
            middle = (low + high) // 2
            if self._succeeds(request, middle):
                high = middle
            else:
                low = middle
        return high

    def _succeeds(self, request: CallRequest, gas: int) -> bool:
        return not self.run(request, gas).is_error

    def _budget(self, request: CallRequest, cap_by_funds: bool) -> int:
        """The gas to run with: the request's or the block's limit.

        With a gas price, the sender must pay for it: a call fails if it cannot, while an
        estimate lowers its cap to what the sender can pay (both as geth does).
        """
        gas = min(request.gas or self._gas_cap, self._gas_cap)
        balance = self._state.get_balance(request.sender)
        if request.gas_price and cap_by_funds:
            gas = min(gas, max(0, balance - request.value) // request.gas_price)
        cost = gas * request.gas_price + request.value
        if balance < cost:
            raise rejected(
                f"insufficient funds for gas * price + value: address {data(request.sender)} have {balance} want {cost}"
            )
        return gas

def failure_error(computation) -> RPCError:
    error = computation.error
    if isinstance(error, Revert):
        revert_data = computation.output
        reason = revert_reason(revert_data)
        message = f"execution reverted: {reason}" if reason else "execution reverted"
        return RPCError(EXECUTION_REVERTED, message, data(revert_data))
    text = next((t for cls, t in _FAILURE_TEXT.items() if isinstance(error, cls)), type(error).__name__)
    return rejected(text)


def revert_reason(revert_data: bytes) -> str | None:
    """Error(string)'s text or Panic(uint256)'s code, like geth's message suffix; None otherwise."""
    try:
        if revert_data[:4] == ERROR_SELECTOR:
            return abi_decode(["string"], revert_data[4:])[0]
        if revert_data[:4] == PANIC_SELECTOR:
            return f"panic: {hex(abi_decode(['uint256'], revert_data[4:])[0])}"
    except Exception:  # malformed revert data: report the bare revert with the data attached
        return None
    return None
