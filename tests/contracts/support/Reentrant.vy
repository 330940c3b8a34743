# pragma version 0.4.3
# Test consumer that tries to re-enter the oracle from its callback with the calldata it was
# primed with (e.g. a second fulfil or a settle of the same request) and records the outcome.

target: public(address)
payload: public(Bytes[4096])
reentryOk: public(bool)
calls: public(uint256)


@external
def prime(target: address, payload: Bytes[4096]):
    self.target = target
    self.payload = payload


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    self.calls += 1
    self.reentryOk = raw_call(self.target, self.payload, max_outsize=0, revert_on_failure=False)
