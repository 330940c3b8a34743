"""JSON-RPC methods around transactions: send, call, estimate, look up."""

from .blocktags import state_header
from .encoding import data, parse_data, parse_hash, quantity
from .errors import invalid_params
from .execution import parse_call_request
from .serialize import transaction_json


class TransactionMethods:
    def __init__(self, chain):
        self.chain = chain

    def eth_sendRawTransaction(self, raw):
        return data(self.chain.submit_raw(parse_data(raw, "raw transaction")))

    def eth_call(self, request, block=None, state_overrides=None):
        if state_overrides is not None:
            raise invalid_params("state overrides are not supported")
        header = state_header(self.chain, block)
        call = parse_call_request(request, header.base_fee_per_gas)
        return data(self.chain.runner(header).call(call))

    def eth_estimateGas(self, request, block=None):
        header = state_header(self.chain, block)
        call = parse_call_request(request, header.base_fee_per_gas)
        return quantity(self.chain.runner(header).estimate(call))

    def eth_getTransactionByHash(self, tx_hash):
        found = self.chain.find_transaction(parse_hash(tx_hash, "transaction hash"))
        if found is None:
            return None
        if isinstance(found, tuple):
            record, index = found
            return record.transactions[index]
        return transaction_json(found.tx, found.sender, None)

    def eth_getTransactionReceipt(self, tx_hash):
        found = self.chain.find_transaction(parse_hash(tx_hash, "transaction hash"))
        if not isinstance(found, tuple):
            return None  # unknown, or still waiting in the pool
        record, index = found
        return record.receipts[index]
