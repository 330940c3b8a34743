# pragma version 0.4.3
# Test consumer whose callback always reverts.

@external
def cloisterCallback(requestId: bytes32, status: uint8, output: Bytes[4096]):
    raise "always reverts"
