# pragma version 0.4.3
"""
@title Request book
@notice One storage slot per request: keccak256(abi.encode(Request)) while pending,
        keccak256(abi.encode(Request, Fulfilment)) once fulfilled, then FINAL or REFUNDED.
"""

requests: public(HashMap[bytes32, bytes32])
