# pragma version 0.4.3
# Stand-in for an on-chain DCAP verifier (Automata's interface). It cannot check Intel signatures:
# it accepts exactly the quotes a test allows, to exercise the adapter's plumbing.

allowed: public(HashMap[bytes32, bool])


@external
def allow(quote_digest: bytes32):
    self.allowed[quote_digest] = True


@view
@external
def verifyAndAttestOnChain(rawQuote: Bytes[8192]) -> (bool, Bytes[4096]):
    return self.allowed[keccak256(rawQuote)], slice(rawQuote, 0, 48)
