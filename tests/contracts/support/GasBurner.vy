# pragma version 0.4.3
# Test consumer whose callback burns all the gas it is given, and reports what it received.

received: public(uint256)
counter: public(uint256)


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    self.received = msg.gas
    for i: uint256 in range(100000):
        self.counter += 1
