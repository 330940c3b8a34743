# pragma version 0.4.3
# pragma optimize codesize
"""
@title Arbiter: verification sampling, disputes, juries and voluntary challenges
@notice Sampling is decided after the fact from blockhash(fulfilledBlock), which the
        executor cannot know when it submits, over the stakes fixed before that block's
        epoch began (lib/sampler.vy), so no stake change after the seed moves the draw.
        A mismatch (or a bonded challenge) opens a dispute judged by `jurorCount` jurors,
        drawn with their replacements at once from blockhash(openedBlock); a commitment
        wins only with a strict majority of all seats (absent jurors count against both).
"""

from .lib import config
from .lib import results
from .lib import sampler
from .lib import typed_sig
from .lib import types

interface CloisterCore:
    def requests(request_id: bytes32) -> bytes32: view
    def nodeKey(node: uint256) -> bytes32: view
    def signerOf(node: uint256) -> address: view
    def models(model: bytes32) -> (uint256, bool, bool): view
    def paramsAt(version: uint256) -> config.Params: view
    def operatorOf(node: uint256) -> address: view
    def statusOf(node: uint256) -> uint256: view
    def drawNodes(model: bytes32, block_number: uint256, seed: uint256, candidates: DynArray[uint256, types.MAX_RECIPIENTS], excluded: DynArray[uint256, sampler.MAX_EXCLUDED], count: uint256) -> DynArray[uint256, sampler.MAX_DRAWN]: view
    def arbiterSetState(request_id: bytes32, expected: bytes32, state: bytes32): nonpayable
    def arbiterSlash(node: uint256, bps: uint256, reason: uint256) -> uint256: nonpayable
    def arbiterPay(account: address, amount: uint256, reason: uint256): nonpayable
    def arbiterPayProtocol(amount: uint256): nonpayable
    def arbiterDepositBond(): payable
    def arbiterReleaseBond(amount: uint256): nonpayable
    def arbiterReleaseEscrow(amount: uint256): nonpayable
    def arbiterDisputeCount(node: uint256, opened: bool): nonpayable
    def arbiterFlagModel(model: bytes32): nonpayable
    def arbiterDeliver(callback: address, gas_cap: uint256, request_id: bytes32, status: uint256, output: Bytes[4096]) -> bool: nonpayable

interface WrapCheck:
    def wrapOpens(envelope: Bytes[types.MAX_INPUT], index: uint256, ephemeralSecret: uint256) -> (address, bool): view

core: public(immutable(CloisterCore))
wrapCheck: public(immutable(WrapCheck))

ACTIVE: constant(uint256) = 1
REASON_BOND_RETURN: constant(uint256) = 5
REASON_SLASH_SHARE: constant(uint256) = 4
REASON_REFUND: constant(uint256) = 3
MAX_DRAWN: constant(uint256) = sampler.MAX_DRAWN
MAX_EXCLUDED: constant(uint256) = sampler.MAX_EXCLUDED
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002
# A juror's vote slot when its own wrap of an encrypted input did not open (an abstention).
ABSTAINED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000001
REASON_WRAP_LIE: constant(uint256) = 5

REASON_DISPUTE_LOST: constant(uint256) = 2
REASON_JUROR_ABSENT: constant(uint256) = 3
REASON_VERIFIER_SILENT: constant(uint256) = 4
MAX_VOTERS: constant(uint256) = types.MAX_JURORS + 2


struct Dispute:
    model: bytes32
    inputHash: bytes32
    recipientsHash: bytes32
    executor: uint256
    executorCommitment: bytes32
    challenger: uint256
    challengerCommitment: bytes32
    bond: uint256
    openedBlock: uint256
    deadline: uint256
    rounds: uint256
    jurors: DynArray[uint256, types.MAX_JURORS]
    votes: DynArray[bytes32, types.MAX_JURORS]
    winner: bytes32
    resolved: bool
    # the result's parameter set (Fulfilment.paramsVersion): its jury, windows and slashes
    paramsVersion: uint256


disputes: public(HashMap[bytes32, Dispute])
# Jurors drawn for a dispute beyond its seats, in the order they replace absent ones.
reserves: HashMap[bytes32, DynArray[uint256, MAX_DRAWN]]
silenceReported: public(HashMap[bytes32, bool])
# The sampled verifier that had confirmed a result now disputed: it shares the executor's fate.
confirmedBy: public(HashMap[bytes32, uint256])
# Nodes that answered an encrypted request with "decryption failed" as verifier or juror (their own
# wrap did not open): excused, unless the requester proves the wrap good (proveWrap).
abstained: public(HashMap[bytes32, HashMap[uint256, bool]])


@deploy
def __init__(cloister: address, wrap_check: address):
    core = CloisterCore(cloister)
    wrapCheck = WrapCheck(wrap_check)

event Verified:
    id: indexed(bytes32)
    verifier: indexed(uint256)

event DisputeOpened:
    id: indexed(bytes32)
    executor: indexed(uint256)
    challenger: indexed(uint256)
    executorCommitment: bytes32
    challengerCommitment: bytes32
    bond: uint256

event JurorsDrawn:
    id: indexed(bytes32)
    jurors: DynArray[uint256, types.MAX_JURORS]
    deadline: uint256
    round: uint256

event Voted:
    id: indexed(bytes32)
    juror: indexed(uint256)
    commitment: bytes32

event DisputeResolved:
    id: indexed(bytes32)
    winner: bytes32
    executorLost: bool
    slashedPool: uint256
    winners: DynArray[uint256, MAX_VOTERS]

event JuryDismissed:
    id: indexed(bytes32)
    reopenedBlock: uint256

event SilentVerifier:
    id: indexed(bytes32)
    verifier: indexed(uint256)
    slashed: uint256

event Abstained:
    id: indexed(bytes32)
    node: indexed(uint256)

event WrapProven:
    id: indexed(bytes32)
    node: indexed(uint256)
    slashed: uint256

event CorrectedDelivered:
    id: indexed(bytes32)
    node: indexed(uint256)
    status: uint256
    callbackOk: bool
    output: Bytes[types.MAX_OUTPUT]


@view
def _params(version: uint256) -> config.Params:
    """@dev The parameter set a result was fulfilled under: a change never reaches a result in flight."""
    return staticcall core.paramsAt(version)


def _check_book(req: types.Request, ful: types.Fulfilment):
    assert staticcall core.requests(req.id) == types.fulfilled_hash(req, ful), "dispute: unknown result"


@view
def _sampled_verifier(req: types.Request, ful: types.Fulfilment, recipients: DynArray[uint256, types.MAX_RECIPIENTS]) -> uint256:
    if block.number <= ful.fulfilledBlock or block.number > ful.fulfilledBlock + 256:
        return 0
    if ful.status == types.STATUS_DECRYPTION_FAILED and req.recipientsHash != empty(bytes32):
        return 0  # the executor's own wrap: only the requester can dispute it (proveWrap)
    fee: uint256 = 0
    deterministic: bool = False
    enabled: bool = False
    fee, deterministic, enabled = staticcall core.models(req.model)
    if not deterministic:
        return 0
    seed: uint256 = convert(keccak256(concat(blockhash(ful.fulfilledBlock), req.id)), uint256)
    if seed % 10000 >= (self._params(ful.paramsVersion)).verifyBps:
        return 0
    drawn: DynArray[uint256, MAX_DRAWN] = staticcall core.drawNodes(req.model, ful.fulfilledBlock, seed, recipients, [req.node], 1)
    if len(drawn) == 0:
        return 0
    return drawn[0]


@view
@external
def jurorReserve(request_id: bytes32) -> DynArray[uint256, MAX_DRAWN]:
    """@notice The jurors still waiting, in order, to replace absent ones in a dispute."""
    return self.reserves[request_id]


@view
@external
def sampledVerifier(req: types.Request, ful: types.Fulfilment, recipients: DynArray[uint256, types.MAX_RECIPIENTS]) -> uint256:
    """@notice The node sampled to re-execute this result, or 0 (known from the block after fulfilment)."""
    assert types.recipients_hash(recipients) == req.recipientsHash, "verify: recipients mismatch"
    return self._sampled_verifier(req, ful, recipients)


def _open(req: types.Request, ful: types.Fulfilment, challenger: uint256, commitment: bytes32, bond: uint256):
    self.disputes[req.id] = Dispute(
        model=req.model,
        inputHash=req.inputHash,
        recipientsHash=req.recipientsHash,
        executor=req.node,
        executorCommitment=ful.outputCommitment,
        challenger=challenger,
        challengerCommitment=commitment,
        bond=bond,
        openedBlock=block.number,
        deadline=0,
        rounds=0,
        jurors=[],
        votes=[],
        winner=empty(bytes32),
        resolved=False,
        paramsVersion=ful.paramsVersion,
    )
    extcall core.arbiterDisputeCount(req.node, True)
    extcall core.arbiterDisputeCount(challenger, True)
    if ful.verifier != 0 and ful.verifier != challenger:
        self.confirmedBy[req.id] = ful.verifier
        extcall core.arbiterDisputeCount(ful.verifier, True)
    disputed: types.Fulfilment = ful
    disputed.state = types.DISPUTED
    extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), types.fulfilled_hash(req, disputed))
    log DisputeOpened(id=req.id, executor=req.node, challenger=challenger, executorCommitment=ful.outputCommitment, challengerCommitment=commitment, bond=bond)


@external
def verify(req: types.Request, ful: types.Fulfilment, recipients: DynArray[uint256, types.MAX_RECIPIENTS], verifier: uint256, res: types.Result):
    """@notice The sampled verifier's re-execution: equal commitment confirms, different opens a dispute."""
    self._check_book(req, ful)
    assert ful.state == types.FULFILLED, "verify: not awaiting verification"
    p: config.Params = self._params(ful.paramsVersion)
    assert block.number <= ful.fulfilledBlock + p.verifyWindowBlocks, "verify: window closed"
    # inside the challenge window too, so an exiting executor's stake is still bonded when a dispute opens
    assert block.timestamp < ful.fulfilledAt + p.challengeWindow, "verify: challenge window closed"
    assert types.recipients_hash(recipients) == req.recipientsHash, "verify: recipients mismatch"
    assert verifier != 0 and self._sampled_verifier(req, ful, recipients) == verifier, "verify: not the sampled verifier"
    results.check(core.address, staticcall core.nodeKey(verifier), verifier, typed_sig.ROLE_VERIFY, req.id, req.model, req.inputHash, req.recipientsHash == empty(bytes32), res)
    if res.status == types.STATUS_DECRYPTION_FAILED and req.recipientsHash != empty(bytes32):
        # the verifier's own wrap did not open: it abstains, the result stays as it is
        assert not self.abstained[req.id][verifier], "verify: already abstained"
        self.abstained[req.id][verifier] = True
        log Abstained(id=req.id, node=verifier)
    elif res.outputCommitment == ful.outputCommitment:
        confirmed: types.Fulfilment = ful
        confirmed.state = types.VERIFIED
        confirmed.verifier = verifier
        extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), types.fulfilled_hash(req, confirmed))
        log Verified(id=req.id, verifier=verifier)
    else:
        self._open(req, ful, verifier, res.outputCommitment, 0)


@external
@payable
def challenge(req: types.Request, ful: types.Fulfilment, challenger: uint256, res: types.Result):
    """@notice Any active node may dispute a result inside the challenge window with a bond and its own signed commitment."""
    self._check_book(req, ful)
    assert staticcall core.operatorOf(challenger) == msg.sender, "challenge: not the node operator"
    assert staticcall core.statusOf(challenger) == ACTIVE, "challenge: node not active"
    p: config.Params = self._params(ful.paramsVersion)
    assert challenger != req.node, "challenge: own result"
    assert ful.state == types.FULFILLED or ful.state == types.VERIFIED, "challenge: not challengeable"
    assert block.timestamp < ful.fulfilledAt + p.challengeWindow, "challenge: window closed"
    assert msg.value >= p.challengeBond, "challenge: bond too small"
    results.check(core.address, staticcall core.nodeKey(challenger), challenger, typed_sig.ROLE_CHALLENGE, req.id, req.model, req.inputHash, req.recipientsHash == empty(bytes32), res)
    assert res.outputCommitment != ful.outputCommitment, "challenge: same commitment"
    encrypted: bool = req.recipientsHash != empty(bytes32)
    assert not encrypted or (ful.status != types.STATUS_DECRYPTION_FAILED and res.status != types.STATUS_DECRYPTION_FAILED), "challenge: unopened wrap"
    extcall core.arbiterDepositBond(value=msg.value)
    self._open(req, ful, challenger, res.outputCommitment, msg.value)


@external
def drawJurors(request_id: bytes32, recipients: DynArray[uint256, types.MAX_RECIPIENTS]):
    """
    @notice Draw the jury, and in order the replacements for absent jurors, from
            blockhash(openedBlock) over the stakes of openedBlock's epoch; callable by anyone
            from the next block for 256 blocks (later, a call restarts the draw from its own block). Jurors are never a party (executor, challenger,
            the verifier that confirmed the result) and never drawn twice for one dispute.
    """
    d: Dispute = self.disputes[request_id]
    assert d.openedBlock != 0 and not d.resolved, "jury: no open dispute"
    assert d.deadline == 0, "jury: already drawn"
    assert block.number > d.openedBlock, "jury: wait one block"
    if block.number > d.openedBlock + 256:
        # blockhash(openedBlock) is gone: restart the draw from this block (drawn from the next one)
        self.disputes[request_id].openedBlock = block.number
        log JuryDismissed(id=request_id, reopenedBlock=block.number)
        return
    assert types.recipients_hash(recipients) == d.recipientsHash, "jury: recipients mismatch"
    seed: uint256 = convert(keccak256(concat(blockhash(d.openedBlock), request_id)), uint256)
    p: config.Params = self._params(d.paramsVersion)
    excluded: DynArray[uint256, MAX_EXCLUDED] = [d.executor, d.challenger, self.confirmedBy[request_id]]
    drawn: DynArray[uint256, MAX_DRAWN] = staticcall core.drawNodes(d.model, d.openedBlock, seed, recipients, excluded, p.jurorCount * (1 + p.maxJurorRounds))
    reserve: DynArray[uint256, MAX_DRAWN] = []
    for i: uint256 in range(MAX_DRAWN):
        if i >= len(drawn):
            break
        if i < p.jurorCount:
            self.disputes[request_id].jurors.append(drawn[i])
            self.disputes[request_id].votes.append(empty(bytes32))
            extcall core.arbiterDisputeCount(drawn[i], True)
        else:
            reserve.append(drawn[i])
    self.reserves[request_id] = reserve
    deadline: uint256 = block.timestamp + p.jurorWindow
    self.disputes[request_id].deadline = deadline
    log JurorsDrawn(id=request_id, jurors=self.disputes[request_id].jurors, deadline=deadline, round=0)


@external
def vote(request_id: bytes32, seat: uint256, res: types.Result):
    """@notice A juror's signed commitment for its seat, before the jury deadline."""
    d: Dispute = self.disputes[request_id]
    assert d.deadline != 0 and not d.resolved, "vote: no jury"
    assert block.timestamp <= d.deadline, "vote: deadline passed"
    assert seat < len(d.jurors), "vote: no such seat"
    juror: uint256 = d.jurors[seat]
    assert juror != 0, "vote: empty seat"
    assert d.votes[seat] == empty(bytes32), "vote: already voted"
    results.check(core.address, staticcall core.nodeKey(juror), juror, typed_sig.ROLE_VOTE, request_id, d.model, d.inputHash, d.recipientsHash == empty(bytes32), res)
    if res.status == types.STATUS_DECRYPTION_FAILED and d.recipientsHash != empty(bytes32):
        # the juror's own wrap did not open: its seat abstains (not counted, not absent)
        self.disputes[request_id].votes[seat] = ABSTAINED
        self.abstained[request_id][juror] = True
        log Abstained(id=request_id, node=juror)
        return
    self.disputes[request_id].votes[seat] = res.outputCommitment
    log Voted(id=request_id, juror=juror, commitment=res.outputCommitment)


def _slash_absent(request_id: bytes32, seat: uint256):
    juror: uint256 = self.disputes[request_id].jurors[seat]
    slashed: uint256 = extcall core.arbiterSlash(juror, (self._params(self.disputes[request_id].paramsVersion)).absentSlashBps, REASON_JUROR_ABSENT)
    extcall core.arbiterPayProtocol(slashed)
    extcall core.arbiterDisputeCount(juror, False)
    self.disputes[request_id].jurors[seat] = 0


@external
def replaceAbsentJurors(request_id: bytes32, recipients: DynArray[uint256, types.MAX_RECIPIENTS]):
    """
    @notice After the jury deadline: slash jurors who did not vote and seat the next jurors of
            the reserve drawn with the jury (up to maxJurorRounds); no new randomness is used.
    """
    d: Dispute = self.disputes[request_id]
    assert d.deadline != 0 and not d.resolved, "jury: no jury"
    assert block.timestamp > d.deadline, "jury: deadline not passed"
    p: config.Params = self._params(d.paramsVersion)
    assert d.rounds < p.maxJurorRounds, "jury: no rounds left"
    reserve: DynArray[uint256, MAX_DRAWN] = self.reserves[request_id]
    next_index: uint256 = 0
    replaced: bool = False
    for seat: uint256 in range(types.MAX_JURORS):
        if seat >= len(d.jurors):
            break
        if d.jurors[seat] != 0 and d.votes[seat] == empty(bytes32):
            self._slash_absent(request_id, seat)
            if next_index < len(reserve):
                juror: uint256 = reserve[next_index]
                next_index += 1
                self.disputes[request_id].jurors[seat] = juror
                extcall core.arbiterDisputeCount(juror, True)
            replaced = True
    assert replaced, "jury: nobody absent"
    remaining: DynArray[uint256, MAX_DRAWN] = []
    for i: uint256 in range(MAX_DRAWN):
        if i >= len(reserve):
            break
        if i >= next_index:
            remaining.append(reserve[i])
    self.reserves[request_id] = remaining
    deadline: uint256 = block.timestamp + p.jurorWindow
    self.disputes[request_id].deadline = deadline
    self.disputes[request_id].rounds = d.rounds + 1
    log JurorsDrawn(id=request_id, jurors=self.disputes[request_id].jurors, deadline=deadline, round=d.rounds + 1)


@pure
def _majority(commitments: DynArray[bytes32, MAX_VOTERS], seats: uint256) -> bytes32:
    """@dev The commitment held by more than half of all `seats` (votes not cast count for nobody), or 0."""
    for c: bytes32 in commitments:
        if c == empty(bytes32):
            continue
        count: uint256 = 0
        for other: bytes32 in commitments:
            if other == c:
                count += 1
        if count * 2 > seats:
            return c
    return empty(bytes32)


def _reopen(request_id: bytes32, voters: DynArray[uint256, MAX_VOTERS]):
    """@dev Absence never decides a dispute: the jury is dropped and a fresh one is drawn from this block."""
    for i: uint256 in range(2, MAX_VOTERS):
        if i >= len(voters):
            break
        extcall core.arbiterDisputeCount(voters[i], False)
    self.disputes[request_id].openedBlock = block.number
    self.disputes[request_id].deadline = 0
    self.disputes[request_id].rounds = 0
    self.disputes[request_id].jurors = []
    self.disputes[request_id].votes = []
    self.reserves[request_id] = []
    log JuryDismissed(id=request_id, reopenedBlock=block.number)


@external
def resolve(req: types.Request, ful: types.Fulfilment):
    """
    @notice Count the votes (executor, challenger, jurors) once all jurors voted, or after the
            deadline of the last round. A commitment wins only with more than half of all seats;
            losers are slashed slashBps (with the verifier that confirmed a losing executor) and
            the winners share the slashed stake (and a losing challenger's bond). If every seat
            voted and there is no such majority, nobody is paid for the result: the requester gets
            its fee back and the challenger its bond. If seats stayed empty (absent jurors, slashed),
            absence decides nothing: the jury is dismissed and a fresh one is drawn (drawJurors).
    """
    self._check_book(req, ful)
    assert ful.state == types.DISPUTED, "resolve: not disputed"
    d: Dispute = self.disputes[req.id]
    assert d.deadline != 0, "resolve: jury not drawn"
    p: config.Params = self._params(ful.paramsVersion)
    all_voted: bool = True
    for seat: uint256 in range(types.MAX_JURORS):
        if seat >= len(d.jurors):
            break
        if d.jurors[seat] == 0 or d.votes[seat] == empty(bytes32):
            all_voted = False
    if not all_voted:
        assert block.timestamp > d.deadline, "resolve: jury still voting"
        assert d.rounds >= p.maxJurorRounds or len(self.reserves[req.id]) == 0, "resolve: replace absent jurors first"
        for seat: uint256 in range(types.MAX_JURORS):
            if seat >= len(d.jurors):
                break
            if d.jurors[seat] != 0 and d.votes[seat] == empty(bytes32):
                self._slash_absent(req.id, seat)
        d = self.disputes[req.id]

    voters: DynArray[uint256, MAX_VOTERS] = [d.executor, d.challenger]
    commitments: DynArray[bytes32, MAX_VOTERS] = [d.executorCommitment, d.challengerCommitment]
    seats: uint256 = 2
    for seat: uint256 in range(types.MAX_JURORS):
        if seat >= len(d.jurors):
            break
        if d.votes[seat] == ABSTAINED:
            extcall core.arbiterDisputeCount(d.jurors[seat], False)  # done with this dispute, uncounted
            continue
        seats += 1
        if d.jurors[seat] != 0:
            voters.append(d.jurors[seat])
            commitments.append(d.votes[seat])
    winner: bytes32 = self._majority(commitments, seats)
    if winner == empty(bytes32) and not all_voted:
        self._reopen(req.id, voters)
        return
    confirmer: uint256 = self.confirmedBy[req.id]

    winners: DynArray[uint256, MAX_VOTERS] = []
    pool: uint256 = 0
    if d.bond > 0:
        extcall core.arbiterReleaseBond(d.bond)
    if winner == empty(bytes32):
        if d.bond > 0:
            extcall core.arbiterPay(staticcall core.operatorOf(d.challenger), d.bond, REASON_BOND_RETURN)
        if all_voted and seats > 2:
            extcall core.arbiterFlagModel(d.model)
    else:
        for i: uint256 in range(MAX_VOTERS):
            if i >= len(voters):
                break
            if commitments[i] == winner:
                winners.append(voters[i])
            else:
                pool += extcall core.arbiterSlash(voters[i], p.slashBps, REASON_DISPUTE_LOST)
        if confirmer != 0 and winner != d.executorCommitment:
            pool += extcall core.arbiterSlash(confirmer, p.slashBps, REASON_DISPUTE_LOST)
        if d.challengerCommitment == winner:
            if d.bond > 0:
                extcall core.arbiterPay(staticcall core.operatorOf(d.challenger), d.bond, REASON_BOND_RETURN)
        else:
            pool += d.bond
        share: uint256 = pool // len(winners)
        if share > 0:
            for w: uint256 in winners:
                extcall core.arbiterPay(staticcall core.operatorOf(w), share, REASON_SLASH_SHARE)
        if pool > share * len(winners):
            extcall core.arbiterPayProtocol(pool - share * len(winners))
    for v: uint256 in voters:
        extcall core.arbiterDisputeCount(v, False)
    if confirmer != 0:
        extcall core.arbiterDisputeCount(confirmer, False)

    executor_lost: bool = winner != d.executorCommitment
    if winner == empty(bytes32):
        extcall core.arbiterReleaseEscrow(req.fee)
        extcall core.arbiterPay(req.requester, req.fee, REASON_REFUND)
        extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), REFUNDED)
    else:
        outcome: types.Fulfilment = ful
        if executor_lost:
            outcome.state = types.OVERTURNED
            outcome.outputCommitment = winner
            extcall core.arbiterReleaseEscrow(req.fee)
            extcall core.arbiterPay(req.requester, req.fee, REASON_REFUND)
        else:
            outcome.state = types.UPHELD
            if d.challengerCommitment != winner and ful.verifier == d.challenger:
                outcome.verifier = 0
        extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), types.fulfilled_hash(req, outcome))
    self.disputes[req.id].resolved = True
    self.disputes[req.id].winner = winner
    log DisputeResolved(id=req.id, winner=winner, executorLost=executor_lost, slashedPool=pool, winners=winners)


@external
def reportSilence(req: types.Request, ful: types.Fulfilment, recipients: DynArray[uint256, types.MAX_RECIPIENTS]):
    """
    @notice After the verification window of a sampled result nobody verified (and within 256
            blocks of its fulfilment): slash the silent sampled verifier absentSlashBps. Anyone
            may report; the slash goes to the protocol, once per result.
    """
    self._check_book(req, ful)
    assert ful.state == types.FULFILLED, "silence: not awaiting"
    assert block.number > ful.fulfilledBlock + (self._params(ful.paramsVersion)).verifyWindowBlocks, "silence: window open"
    assert types.recipients_hash(recipients) == req.recipientsHash, "silence: recipients mismatch"
    assert not self.silenceReported[req.id], "silence: already reported"
    verifier: uint256 = self._sampled_verifier(req, ful, recipients)
    assert verifier != 0, "silence: no sampled verifier"
    assert not self.abstained[req.id][verifier], "silence: abstained"
    self.silenceReported[req.id] = True
    slashed: uint256 = extcall core.arbiterSlash(verifier, (self._params(ful.paramsVersion)).absentSlashBps, REASON_VERIFIER_SILENT)
    extcall core.arbiterPayProtocol(slashed)
    log SilentVerifier(id=req.id, verifier=verifier, slashed=slashed)


@external
def proveWrap(req: types.Request, ful: types.Fulfilment, node: uint256, input: Bytes[types.MAX_INPUT], index: uint256, ephemeralSecret: uint256):
    """
    @notice The requester's answer to "decryption failed" on an encrypted request: reveal the
            ephemeral secret e of `node`'s wrap (envelope v2, docs/envelope.md). If the wrap opens
            to the key the envelope commits to, `node` lied: it is slashed slashBps (to the
            protocol), and if it was the executor the requester gets its fee back. If the wrap does
            not open this reverts, and the node keeps what it earned. Only a wrap to the node's
            current key counts. Anyone may call it (only the requester knows e). Revealing e lets
            anyone decrypt the input.
    """
    self._check_book(req, ful)
    assert req.recipientsHash != empty(bytes32), "wrap: not an encrypted request"
    is_executor: bool = node == req.node and ful.status == types.STATUS_DECRYPTION_FAILED and ful.state == types.FULFILLED
    assert is_executor or self.abstained[req.id][node], "wrap: no failure reported"
    assert keccak256(input) == req.inputHash, "wrap: not the request's input"
    signer: address = empty(address)
    opens: bool = False
    signer, opens = staticcall wrapCheck.wrapOpens(input, index, ephemeralSecret)
    # the node's current key: a wrap sealed to a key it retired proves nothing about the node now
    assert signer == staticcall core.signerOf(node), "wrap: not the node's key"
    assert opens, "wrap: does not open"
    self.abstained[req.id][node] = False
    slashed: uint256 = extcall core.arbiterSlash(node, (self._params(ful.paramsVersion)).slashBps, REASON_WRAP_LIE)
    extcall core.arbiterPayProtocol(slashed)
    if is_executor:
        extcall core.arbiterReleaseEscrow(req.fee)
        extcall core.arbiterPay(req.requester, req.fee, REASON_REFUND)
        extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), REFUNDED)
    log WrapProven(id=req.id, node=node, slashed=slashed)


@external
def deliverCorrected(req: types.Request, ful: types.Fulfilment, node: uint256, res: types.Result):
    """@notice A node on the winning side delivers the corrected output to the callback."""
    self._check_book(req, ful)
    assert ful.state == types.OVERTURNED, "correct: result not overturned"
    d: Dispute = self.disputes[req.id]
    on_winning_side: bool = node == d.challenger and d.challengerCommitment == d.winner
    for seat: uint256 in range(types.MAX_JURORS):
        if seat >= len(d.jurors):
            break
        if d.jurors[seat] == node and d.votes[seat] == d.winner:
            on_winning_side = True
    assert node != 0 and on_winning_side, "correct: node not on the winning side"
    assert res.outputCommitment == d.winner, "correct: not the winning commitment"
    # the node's own signature from the role it played: the output it signed is the one delivered
    role: uint256 = typed_sig.ROLE_VOTE
    if node == d.challenger:
        role = typed_sig.ROLE_CHALLENGE if d.bond > 0 else typed_sig.ROLE_VERIFY
    results.check(core.address, staticcall core.nodeKey(node), node, role, req.id, req.model, req.inputHash, req.recipientsHash == empty(bytes32), res)
    extcall core.arbiterSetState(req.id, types.fulfilled_hash(req, ful), types.FINAL)
    ok: bool = extcall core.arbiterDeliver(req.callback, req.callbackGas, req.id, res.status, res.output)
    log CorrectedDelivered(id=req.id, node=node, status=res.status, callbackOk=ok, output=res.output)
