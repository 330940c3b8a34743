# pragma version 0.4.3
# Test consumer: with status 0 it records the gas it was given; otherwise it burns all of it.

received: public(uint256)
counter: public(uint256)


@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    self.received = msg.gas
    if status != 0:
        for i: uint256 in range(100000):
            self.counter += 1
