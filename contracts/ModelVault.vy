# pragma version 0.4.3
"""
@title ModelVault: sealed models, their keys for attested enclaves, and privacy budgets
@notice A model owner registers a sealed (encrypted) model; its id commits to the owner, the
        plaintext and sealed hashes, the engine and the task. Enclaves that pass the core's
        admission checks (the same quote and proof they register with) enroll for the model key;
        the owner, or any enclave that already holds the key of the current epoch, publishes the
        key wrapped to each enrolled enclave (EIP-712 signed by the holder). Rotation starts a new
        epoch that only the owner holds until it wraps it. A model with a differential-privacy
        policy (immutable) is requested through `requestPrivate`, which spends ε from the
        requester's budget per period (the owner's to set) and forwards the fee to the core; the
        core then names this vault as requester, and a refund comes back here for the requester
        to claim once. docs/protocol.md, "Model vault", is the full description.
"""

from .lib import types
from .lib import quote

MAX_PROOF: constant(uint256) = 2048
MAX_WORKLOADS: constant(uint256) = 8
WRAPPED_BYTES: constant(uint256) = 112
JAILED: constant(uint256) = 3
REFUNDED: constant(bytes32) = 0x0000000000000000000000000000000000000000000000000000000000000002

MECHANISM_NONE: constant(uint8) = 0
MECHANISM_GAUSSIAN: constant(uint8) = 2
# PrivacyPolicy.validate (Sources/Inference/Privacy/PrivacyPolicy.swift)
MIN_EPSILON_MICROS: constant(uint64) = 1000
MAX_EPSILON_MICROS: constant(uint64) = 50000000
MAX_DELTA_EXPONENT: constant(uint8) = 40
MAX_SENSITIVITY: constant(uint64) = 134217728  # 2**27

DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
NAME_HASH: constant(bytes32) = keccak256("Cloister ModelVault")
VERSION_HASH: constant(bytes32) = keccak256("1")
KEY_WRAP_TYPEHASH: constant(bytes32) = keccak256("KeyWrap(bytes32 model,uint256 epoch,address recipient,bytes32 wrappedHash)")
HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168
MODEL_ID_TAG: constant(String[23]) = "cloister-sealed-model/1"


# The core's parameters (only maxAttestationValidity is read).
struct Params:
    minStake: uint256
    verifyBps: uint256
    verifyWindowBlocks: uint256
    challengeWindow: uint256
    challengeBond: uint256
    jurorCount: uint256
    jurorWindow: uint256
    maxJurorRounds: uint256
    slashBps: uint256
    absentSlashBps: uint256
    timeoutSlashBps: uint256
    protocolFeeBps: uint256
    verifierFeeBps: uint256
    maxDeadline: uint256
    unbondingPeriod: uint256
    maxInputBytes: uint256
    maxCallbackGas: uint256
    maxAttestationValidity: uint256
    minResponseTime: uint256
    gasPrice: uint256


# Arbiter.vy's dispute record (only resolved, winner and executorCommitment are read).
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
    paramsVersion: uint256


interface Core:
    def request(model: bytes32, input: Bytes[types.MAX_INPUT], callback: address, callback_gas: uint256, deadline: uint256, output_key: Bytes[types.MAX_OUTPUT_KEY], recipients: DynArray[uint256, types.MAX_RECIPIENTS]) -> bytes32: payable
    def withdraw(): nonpayable
    def credits(account: address) -> uint256: view
    def requests(request_id: bytes32) -> bytes32: view
    def arbiter() -> address: view
    def admission() -> address: view
    def params() -> Params: view
    def signerNode(signer: address) -> uint256: view
    def statusOf(node: uint256) -> uint256: view


interface Admission:
    def workloadAllowed(workload: bytes32) -> bool: view
    def admitFor(registry: address, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, max_validity: uint256, proof: Bytes[MAX_PROOF]) -> (address, bytes32, bytes32, uint256): view


interface Arbiter:
    def disputes(request_id: bytes32) -> Dispute: view


struct Entry:
    owner: address
    plaintextHash: bytes32
    # the current epoch's sealed file
    sealedHash: bytes32
    location: String[256]
    epoch: uint256
    engine: String[64]
    task: String[32]
    # empty: every workload Admission allows
    workloads: DynArray[bytes32, MAX_WORKLOADS]
    # the privacy policy, immutable: 0 none, 1 Laplace, 2 Gaussian
    mechanism: uint8
    deltaExponent: uint8
    epsilonMicros: uint64
    sensEmbedding: uint64
    sensSimilarity: uint64
    sensClassification: uint64
    # the budget, the owner's to change: ε (micros) per requester per period (seconds)
    budgetMicros: uint256
    period: uint256
    requestersListed: bool


struct Enrollment:
    publicKey: Bytes[64]
    workload: bytes32
    expiry: uint256


struct PrivateRequest:
    requester: address
    epoch: uint256


core: public(immutable(Core))
admission: public(immutable(Admission))

models: public(HashMap[bytes32, Entry])
enrollments: public(HashMap[bytes32, HashMap[address, Enrollment]])
# model -> epoch -> signer -> the model key wrapped to the signer (112 bytes; empty: none)
_wraps: HashMap[bytes32, HashMap[uint256, HashMap[address, Bytes[WRAPPED_BYTES]]]]
# model -> requester -> approved (read when requestersListed)
requesters: public(HashMap[bytes32, HashMap[address, bool]])
# model -> requester -> period index (timestamp // period) -> ε spent (micros)
spent: public(HashMap[bytes32, HashMap[address, HashMap[uint256, uint256]]])
privateRequests: public(HashMap[bytes32, PrivateRequest])
# The fee of a private request until its refund is claimed (then 0).
privateFees: public(HashMap[bytes32, uint256])


event ModelRegistered:
    model: indexed(bytes32)
    owner: indexed(address)
    plaintextHash: bytes32
    sealedHash: bytes32
    engine: String[64]
    task: String[32]
    location: String[256]

event WorkloadsSet:
    model: indexed(bytes32)
    workloads: DynArray[bytes32, MAX_WORKLOADS]

event BudgetSet:
    model: indexed(bytes32)
    budgetMicros: uint256
    period: uint256
    requestersListed: bool

event RequesterSet:
    model: indexed(bytes32)
    requester: indexed(address)
    allowed: bool

event KeyRotated:
    model: indexed(bytes32)
    epoch: uint256
    sealedHash: bytes32
    location: String[256]

event KeyRequested:
    model: indexed(bytes32)
    signer: indexed(address)
    publicKey: Bytes[64]
    workload: bytes32
    expiry: uint256
    epoch: uint256

event KeyPublished:
    model: indexed(bytes32)
    epoch: uint256
    recipient: indexed(address)
    holder: address
    wrapped: Bytes[WRAPPED_BYTES]

event PrivateRequested:
    id: indexed(bytes32)
    model: indexed(bytes32)
    requester: indexed(address)
    epoch: uint256
    epsilonMicros: uint256
    spentMicros: uint256
    budgetMicros: uint256

event RefundClaimed:
    id: indexed(bytes32)
    requester: indexed(address)
    amount: uint256


@deploy
def __init__(core_address: address):
    core = Core(core_address)
    admission = Admission(staticcall Core(core_address).admission())


@payable
@external
def __default__():
    """@dev Only the core pays the vault (the refunds it withdraws for requesters)."""
    assert msg.sender == core.address, "vault: only the core pays the vault"


@pure
def _model_id(owner: address, plaintext_hash: bytes32, sealed_hash: bytes32, engine: String[64], task: String[32]) -> bytes32:
    return keccak256(abi_encode(MODEL_ID_TAG, owner, plaintext_hash, sealed_hash, engine, task))


def _check_owner(model: bytes32):
    owner: address = self.models[model].owner
    assert owner != empty(address), "vault: unknown model"
    assert msg.sender == owner, "vault: not the model owner"


@view
def _workload_ok(model: bytes32, workload: bytes32) -> bool:
    """@dev On Admission's allowlist and, if the entry lists workloads, among them."""
    if not staticcall admission.workloadAllowed(workload):
        return False
    listed: DynArray[bytes32, MAX_WORKLOADS] = self.models[model].workloads
    if len(listed) == 0:
        return True
    return workload in listed


@pure
def _check_budget(mechanism: uint8, epsilon_micros: uint64, budget_micros: uint256, period: uint256):
    if mechanism != MECHANISM_NONE:
        assert budget_micros >= convert(epsilon_micros, uint256), "vault: budget below one request's epsilon"
        assert period > 0, "vault: zero budget period"


@view
def _digest(model: bytes32, epoch: uint256, recipient: address, wrapped_hash: bytes32) -> bytes32:
    domain: bytes32 = keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chain.id, self))
    struct_hash: bytes32 = keccak256(abi_encode(KEY_WRAP_TYPEHASH, model, epoch, recipient, wrapped_hash))
    return keccak256(concat(b"\x19\x01", domain, struct_hash))


@external
def registerModel(plaintext_hash: bytes32, sealed_hash: bytes32, engine: String[64], task: String[32], location: String[256], workloads: DynArray[bytes32, MAX_WORKLOADS], mechanism: uint8, delta_exponent: uint8, epsilon_micros: uint64, sens_embedding: uint64, sens_similarity: uint64, sens_classification: uint64, budget_micros: uint256, period: uint256, requesters_listed: bool) -> bytes32:
    """
    @notice Register a sealed model owned by msg.sender at key epoch 1. The privacy policy
            (mechanism, deltaExponent, epsilonMicros, sensitivities) can never change afterwards.
    @return The model id: keccak256(abi.encode("cloister-sealed-model/1", msg.sender, plaintextHash,
            sealedHash, engine, task)).
    """
    model: bytes32 = self._model_id(msg.sender, plaintext_hash, sealed_hash, engine, task)
    assert self.models[model].owner == empty(address), "vault: model already registered"
    assert plaintext_hash != empty(bytes32) and sealed_hash != empty(bytes32), "vault: zero hash"
    assert len(engine) > 0 and len(task) > 0, "vault: empty engine or task"
    assert len(location) > 0, "vault: empty location"
    assert mechanism <= MECHANISM_GAUSSIAN, "vault: unknown mechanism"
    if mechanism == MECHANISM_NONE:
        assert delta_exponent == 0 and epsilon_micros == 0 and sens_embedding == 0 and sens_similarity == 0 and sens_classification == 0, "vault: policy fields without a mechanism"
    else:
        assert epsilon_micros >= MIN_EPSILON_MICROS and epsilon_micros <= MAX_EPSILON_MICROS, "vault: epsilon out of range"
        if mechanism == MECHANISM_GAUSSIAN:
            assert delta_exponent >= 1 and delta_exponent <= MAX_DELTA_EXPONENT, "vault: delta exponent out of range"
        else:
            assert delta_exponent == 0, "vault: delta exponent only for gaussian"
        assert sens_embedding <= MAX_SENSITIVITY and sens_similarity <= MAX_SENSITIVITY and sens_classification <= MAX_SENSITIVITY, "vault: sensitivity out of range"
        assert sens_embedding != 0 or sens_similarity != 0 or sens_classification != 0, "vault: no output released"
    self._check_budget(mechanism, epsilon_micros, budget_micros, period)
    self.models[model] = Entry(
        owner=msg.sender,
        plaintextHash=plaintext_hash,
        sealedHash=sealed_hash,
        location=location,
        epoch=1,
        engine=engine,
        task=task,
        workloads=workloads,
        mechanism=mechanism,
        deltaExponent=delta_exponent,
        epsilonMicros=epsilon_micros,
        sensEmbedding=sens_embedding,
        sensSimilarity=sens_similarity,
        sensClassification=sens_classification,
        budgetMicros=budget_micros,
        period=period,
        requestersListed=requesters_listed,
    )
    log ModelRegistered(model=model, owner=msg.sender, plaintextHash=plaintext_hash, sealedHash=sealed_hash, engine=engine, task=task, location=location)
    if len(workloads) > 0:
        log WorkloadsSet(model=model, workloads=workloads)
    if mechanism != MECHANISM_NONE:
        log BudgetSet(model=model, budgetMicros=budget_micros, period=period, requestersListed=requesters_listed)
    return model


@external
def setWorkloads(model: bytes32, workloads: DynArray[bytes32, MAX_WORKLOADS]):
    """@notice Owner: the workloads whose enclaves may get the key (empty: every workload Admission allows)."""
    self._check_owner(model)
    self.models[model].workloads = workloads
    log WorkloadsSet(model=model, workloads=workloads)


@external
def setBudget(model: bytes32, budget_micros: uint256, period: uint256, requesters_listed: bool):
    """@notice Owner: ε per requester per period and whether only approved requesters may spend it."""
    self._check_owner(model)
    self._check_budget(self.models[model].mechanism, self.models[model].epsilonMicros, budget_micros, period)
    self.models[model].budgetMicros = budget_micros
    self.models[model].period = period
    self.models[model].requestersListed = requesters_listed
    log BudgetSet(model=model, budgetMicros=budget_micros, period=period, requestersListed=requesters_listed)


@external
def setRequester(model: bytes32, requester: address, allowed: bool):
    """@notice Owner: approve or remove a requester (read when requestersListed is set)."""
    self._check_owner(model)
    self.requesters[model][requester] = allowed
    log RequesterSet(model=model, requester=requester, allowed=allowed)


@external
def rotate(model: bytes32, sealed_hash: bytes32, location: String[256]):
    """
    @notice Owner: a new sealed file under a new key. Only wraps for the new epoch are accepted
            from now on; until the owner wraps the new key, only the owner holds it.
    """
    self._check_owner(model)
    assert sealed_hash != empty(bytes32), "vault: zero hash"
    assert len(location) > 0, "vault: empty location"
    epoch: uint256 = self.models[model].epoch + 1
    self.models[model].epoch = epoch
    self.models[model].sealedHash = sealed_hash
    self.models[model].location = location
    log KeyRotated(model=model, epoch=epoch, sealedHash=sealed_hash, location=location)


@external
def enroll(model: bytes32, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, proof: Bytes[MAX_PROOF]):
    """
    @notice Ask for the model key with the quote and proof the enclave registers with in the core
            (Admission.admitFor(core, ...)); the workload must also be one the entry allows. Anyone
            may send it: the key is only ever wrapped to the enclave key the quote attests.
    """
    assert self.models[model].owner != empty(address), "vault: unknown model"
    signer: address = empty(address)
    digest: bytes32 = empty(bytes32)
    workload: bytes32 = empty(bytes32)
    until: uint256 = 0
    signer, digest, workload, until = staticcall admission.admitFor(core.address, public_key, raw_quote, operator, software_version, expiry, (staticcall core.params()).maxAttestationValidity, proof)
    listed: DynArray[bytes32, MAX_WORKLOADS] = self.models[model].workloads
    assert len(listed) == 0 or workload in listed, "vault: workload not allowed for model"
    self.enrollments[model][signer] = Enrollment(publicKey=public_key, workload=workload, expiry=until)
    log KeyRequested(model=model, signer=signer, publicKey=public_key, workload=workload, expiry=until, epoch=self.models[model].epoch)


@external
def publishKey(model: bytes32, epoch: uint256, recipient: address, wrapped: Bytes[WRAPPED_BYTES], holder: address, v: uint8, r: bytes32, s: bytes32):
    """
    @notice Publish the current epoch's key wrapped to an enrolled, eligible `recipient`; the first
            wrap stands. From the owner (holder, v, r, s ignored) or with the EIP-712 KeyWrap
            signature of `holder`, a current holder: wrapped at this epoch, enrollment not
            expired, workload allowed, not jailed in the core.
    """
    owner: address = self.models[model].owner
    assert owner != empty(address), "vault: unknown model"
    assert epoch == self.models[model].epoch, "vault: not the current epoch"
    assert len(wrapped) == WRAPPED_BYTES, "vault: wrapped key must be 112 bytes"
    assert self.enrollments[model][recipient].expiry != 0, "vault: recipient not enrolled"
    assert self.enrollments[model][recipient].expiry > block.timestamp, "vault: recipient enrollment expired"
    assert self._workload_ok(model, self.enrollments[model][recipient].workload), "vault: recipient workload not allowed"
    assert len(self._wraps[model][epoch][recipient]) == 0, "vault: key already published for recipient"
    publisher: address = owner
    if msg.sender != owner:
        assert len(self._wraps[model][epoch][holder]) > 0, "vault: holder has no key at this epoch"
        assert self.enrollments[model][holder].expiry > block.timestamp, "vault: holder enrollment expired"
        assert self._workload_ok(model, self.enrollments[model][holder].workload), "vault: holder workload not allowed"
        node: uint256 = staticcall core.signerNode(holder)
        assert node == 0 or staticcall core.statusOf(node) != JAILED, "vault: holder jailed"
        assert convert(s, uint256) <= HALF_ORDER, "vault: high s"
        assert v == 27 or v == 28, "vault: bad v"
        signer: address = ecrecover(self._digest(model, epoch, recipient, keccak256(wrapped)), v, r, s)
        assert signer == holder, "vault: not the holder's signature"
        publisher = holder
    self._wraps[model][epoch][recipient] = wrapped
    log KeyPublished(model=model, epoch=epoch, recipient=recipient, holder=publisher, wrapped=wrapped)


@external
@payable
def requestPrivate(model: bytes32, input: Bytes[types.MAX_INPUT], callback: address, callback_gas: uint256, deadline: uint256, output_key: Bytes[types.MAX_OUTPUT_KEY], recipients: DynArray[uint256, types.MAX_RECIPIENTS]) -> bytes32:
    """
    @notice Request a private model: spend its ε from msg.sender's budget for this period (never
            given back), forward msg.value to core.request (the core names the vault as requester)
            and record the requester and key epoch under the request id.
    """
    mechanism: uint8 = self.models[model].mechanism
    assert self.models[model].owner != empty(address), "vault: unknown model"
    assert mechanism != MECHANISM_NONE, "vault: model has no privacy policy"
    if self.models[model].requestersListed:
        assert self.requesters[model][msg.sender], "vault: requester not approved"
    eps: uint256 = convert(self.models[model].epsilonMicros, uint256)
    budget: uint256 = self.models[model].budgetMicros
    index: uint256 = block.timestamp // self.models[model].period
    spent_now: uint256 = self.spent[model][msg.sender][index] + eps
    assert spent_now <= budget, "vault: privacy budget exhausted"
    self.spent[model][msg.sender][index] = spent_now
    request_id: bytes32 = extcall core.request(model, input, callback, callback_gas, deadline, output_key, recipients, value=msg.value)
    epoch: uint256 = self.models[model].epoch
    self.privateRequests[request_id] = PrivateRequest(requester=msg.sender, epoch=epoch)
    self.privateFees[request_id] = msg.value
    log PrivateRequested(id=request_id, model=model, requester=msg.sender, epoch=epoch, epsilonMicros=eps, spentMicros=spent_now, budgetMicros=budget)
    return request_id


@view
def _refunded(request_id: bytes32) -> bool:
    """
    @dev Whether the core credited this vault the request's fee: refunded after its deadline, by an
         unresolvable dispute or a proven wrap (book state REFUNDED), or overturned in a dispute
         (the arbiter's record; the book entry may since have become FINAL by a corrected delivery).
    """
    if staticcall core.requests(request_id) == REFUNDED:
        return True
    arbiter: address = staticcall core.arbiter()
    if arbiter == empty(address):
        return False
    d: Dispute = staticcall Arbiter(arbiter).disputes(request_id)
    return d.resolved and d.winner != empty(bytes32) and d.winner != d.executorCommitment


@external
@nonreentrant
def claimRefund(request_id: bytes32):
    """
    @notice The requester of a refunded private request takes its fee back, once (the core
            credited the vault, the request's requester there).
    """
    assert self.privateRequests[request_id].requester == msg.sender, "vault: not the requester"
    amount: uint256 = self.privateFees[request_id]
    assert amount > 0, "vault: nothing to refund"
    assert self._refunded(request_id), "vault: request not refunded"
    self.privateFees[request_id] = 0
    if staticcall core.credits(self) > 0:
        extcall core.withdraw()
    log RefundClaimed(id=request_id, requester=msg.sender, amount=amount)
    raw_call(msg.sender, b"", value=amount)


@view
@external
def wrappedKey(model: bytes32, epoch: uint256, signer: address) -> Bytes[WRAPPED_BYTES]:
    """@notice The model key of `epoch` wrapped to `signer` (empty if none)."""
    return self._wraps[model][epoch][signer]


@view
@external
def holds(model: bytes32, epoch: uint256, signer: address) -> bool:
    """@notice Whether a wrap of `epoch`'s key to `signer` was published."""
    return len(self._wraps[model][epoch][signer]) > 0


@view
@external
def remainingBudget(model: bytes32, requester: address) -> uint256:
    """
    @notice ε (micros) `requester` may still spend on `model` in the current period (0 for a model
            without a policy, and for a requester not approved when the model lists its requesters).
    """
    period: uint256 = self.models[model].period
    if self.models[model].mechanism == MECHANISM_NONE or period == 0:
        return 0
    if self.models[model].requestersListed and not self.requesters[model][requester]:
        return 0
    budget: uint256 = self.models[model].budgetMicros
    used: uint256 = self.spent[model][requester][block.timestamp // period]
    if used >= budget:
        return 0
    return budget - used


@view
@external
def keyWrapDigest(model: bytes32, epoch: uint256, recipient: address, wrapped_hash: bytes32) -> bytes32:
    """@notice The EIP-712 digest a holder signs: KeyWrap(model, epoch, recipient, keccak256(wrapped))."""
    return self._digest(model, epoch, recipient, wrapped_hash)


@view
@external
def domainSeparator() -> bytes32:
    return keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chain.id, self))


@pure
@external
def modelId(owner: address, plaintext_hash: bytes32, sealed_hash: bytes32, engine: String[64], task: String[32]) -> bytes32:
    """@notice keccak256(abi.encode("cloister-sealed-model/1", owner, plaintextHash, sealedHash, engine, task))."""
    return self._model_id(owner, plaintext_hash, sealed_hash, engine, task)
