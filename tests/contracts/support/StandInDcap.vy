# pragma version 0.4.3
# Stand-in for Automata's on-chain DCAP verifier with fee (AutomataDcapAttestationFee), with its exact
# ABI: `verifyAndAttestOnChain(bytes) payable returns (bool, bytes)` and `getBp() view returns (uint16)`.
# It cannot check Intel signatures: it accepts exactly the quotes a test allows, with the TCB status the
# test sets, and serializes its output as Automata's verifiers do: uint16 quoteVersion ‖ uint16
# quoteBodyType ‖ uint8 tcbStatus ‖ bytes6 fmspc ‖ quote body. Like the real one, a non-zero fee
# (basis points of the verification's gas cost) must come with the call.

allowed: public(HashMap[bytes32, bool])
tcbStatus: public(HashMap[bytes32, uint8])
bp: uint16


@external
def allow(quote_digest: bytes32, status: uint8):
    self.allowed[quote_digest] = True
    self.tcbStatus[quote_digest] = status


@external
def setBp(new_bp: uint16):
    self.bp = new_bp


@view
@external
def getBp() -> uint16:
    return self.bp


@external
@payable
def verifyAndAttestOnChain(rawQuote: Bytes[8192]) -> (bool, Bytes[8192]):
    assert self.bp == 0 or msg.value > 0, "Insufficient_Funds"
    digest: bytes32 = keccak256(rawQuote)
    if not self.allowed[digest]:
        return False, b"stand-in: quote not allowed"
    header: Bytes[11] = concat(slice(rawQuote, 0, 2), b"\x00\x02", convert(self.tcbStatus[digest], bytes1), b"\x00\x90\x6e\xa1\x00\x00")
    return True, concat(header, slice(rawQuote, 48, 584))
