# pragma version 0.4.3
"""
@title Node registry: stake, attested enclave keys, models and the workload allowlist
@notice A node is an operator wallet (owns stake, receives payments) and an enclave
        key (signs results). The key is accepted only with a quote whose REPORTDATA is
        signer (20 bytes) ‖ keccak256(extData) (32 bytes) ‖ 12 zero bytes, where
        extData = abi.encode(uint256 chainId, address registry, address operator,
        bytes32 softwareVersion, uint64 expiry). A signer belongs to one node for good
        (keys retired by rotation included), so a copied quote cannot make a second node.
"""

from . import owned
from . import config
from . import ledger
from . import sampler
from . import quote
from . import types

uses: owned
uses: config
uses: ledger
uses: sampler

MAX_PROOF: constant(uint256) = 2048

FEE_MASK: constant(uint256) = (1 << 128) - 1
DETERMINISTIC_BIT: constant(uint256) = 1 << 128
ENABLED_BIT: constant(uint256) = 1 << 129

ACTIVE: constant(uint256) = 1
EXITING: constant(uint256) = 2
JAILED: constant(uint256) = 3


struct Node:
    operator: address
    signer: address
    publicKey: Bytes[64]
    stake: uint256
    status: uint256
    unbondAt: uint256
    attestationDigest: bytes32
    workloadId: bytes32
    attestationExpiry: uint256
    softwareVersion: bytes32
    openDisputes: uint256
    models: DynArray[bytes32, types.MAX_MODELS_PER_NODE]


struct Model:
    fee: uint256
    deterministic: bool
    enabled: bool


nodes: public(HashMap[uint256, Node])
# keccak256(abi.encode(signer, attestationDigest, attestationExpiry)) of a node that may sign; 0 otherwise.
nodeKey: public(HashMap[uint256, bytes32])
nodeCount: public(uint256)
# The node an enclave signer was first attested for (0: never used).
signerNode: public(HashMap[address, uint256])
# fee (low 128 bits) | deterministic (bit 128) | enabled (bit 129): one slot read per request.
modelConfig: HashMap[bytes32, uint256]
admission: public(Admission)

event NodeRegistered:
    node: indexed(uint256)
    operator: indexed(address)
    stake: uint256
    models: DynArray[bytes32, types.MAX_MODELS_PER_NODE]

event NodeAttested:
    node: indexed(uint256)
    signer: indexed(address)
    publicKey: Bytes[64]
    attestationDigest: bytes32
    workloadId: bytes32
    softwareVersion: bytes32
    expiry: uint256

event StakeChanged:
    node: indexed(uint256)
    stake: uint256

event NodeStatusChanged:
    node: indexed(uint256)
    status: uint256
    unbondAt: uint256

event Slashed:
    node: indexed(uint256)
    amount: uint256
    reason: uint256

event AttestationLapsed:
    node: indexed(uint256)
    expiry: uint256

event ModelSet:
    model: indexed(bytes32)
    fee: uint256
    deterministic: bool
    enabled: bool


interface Admission:
    def workloadAllowed(workload: bytes32) -> bool: view
    def admit(public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], operator: address, software_version: bytes32, expiry: uint256, max_validity: uint256, proof: Bytes[MAX_PROOF]) -> (address, bytes32, bytes32, uint256): view


def _attest(node_id: uint256, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], software_version: bytes32, expiry: uint256, proof: Bytes[MAX_PROOF]):
    signer: address = empty(address)
    digest: bytes32 = empty(bytes32)
    workload: bytes32 = empty(bytes32)
    until: uint256 = 0
    signer, digest, workload, until = staticcall self.admission.admit(public_key, raw_quote, self.nodes[node_id].operator, software_version, expiry, config.params.maxAttestationValidity, proof)
    owner: uint256 = self.signerNode[signer]
    assert owner == 0 or owner == node_id, "registry: signer belongs to another node"
    self.signerNode[signer] = node_id
    self.nodes[node_id].signer = signer
    self.nodes[node_id].publicKey = public_key
    self.nodes[node_id].attestationDigest = digest
    self.nodes[node_id].workloadId = workload
    self.nodes[node_id].attestationExpiry = until
    self.nodes[node_id].softwareVersion = software_version
    if self.nodes[node_id].status == ACTIVE or self.nodes[node_id].status == EXITING:
        self.nodeKey[node_id] = keccak256(abi_encode(signer, digest, until))
    if self.nodes[node_id].status == ACTIVE:
        self._set_weights(node_id, self.nodes[node_id].stake)
    log NodeAttested(node=node_id, signer=signer, publicKey=public_key, attestationDigest=digest, workloadId=workload, softwareVersion=software_version, expiry=until)


def _set_weights(node_id: uint256, weight: uint256):
    for model: bytes32 in self.nodes[node_id].models:
        sampler.set_weight(model, node_id, weight)


def _update_weights(node_id: uint256, weight: uint256):
    """@dev Changes the weight only where the node is sampled now (a lapsed or evicted node stays out)."""
    for model: bytes32 in self.nodes[node_id].models:
        if sampler.weight_of(model, node_id) > 0:
            sampler.set_weight(model, node_id, weight)


def check_operator(node_id: uint256):
    assert self.nodes[node_id].operator == msg.sender, "registry: not the node operator"


def lapse(node_id: uint256):
    """@dev Takes a node whose attestation lapsed out of sampling until it re-attests."""
    self._set_weights(node_id, 0)
    log AttestationLapsed(node=node_id, expiry=self.nodes[node_id].attestationExpiry)


def is_active(node_id: uint256) -> bool:
    return self.nodes[node_id].status == ACTIVE


def slash(node_id: uint256, bps: uint256, reason: uint256) -> uint256:
    """@dev Takes bps of the current stake (never more than the stake); jails below minStake."""
    stake: uint256 = self.nodes[node_id].stake
    amount: uint256 = stake * bps // 10000
    if amount == 0:
        return 0
    stake -= amount
    self.nodes[node_id].stake = stake
    ledger.totalStake -= amount
    log Slashed(node=node_id, amount=amount, reason=reason)
    log StakeChanged(node=node_id, stake=stake)
    if self.nodes[node_id].status == ACTIVE:
        if stake < config.params.minStake:
            self._set_weights(node_id, 0)
            self.nodes[node_id].status = JAILED
            self.nodeKey[node_id] = empty(bytes32)
            log NodeStatusChanged(node=node_id, status=JAILED, unbondAt=0)
        else:
            self._update_weights(node_id, stake)
    return amount


def add_open_dispute(node_id: uint256):
    self.nodes[node_id].openDisputes += 1


def remove_open_dispute(node_id: uint256):
    self.nodes[node_id].openDisputes -= 1


@external
@payable
def register(public_key: Bytes[64], served: DynArray[bytes32, types.MAX_MODELS_PER_NODE], raw_quote: Bytes[quote.MAX_QUOTE], software_version: bytes32, expiry: uint256, proof: Bytes[MAX_PROOF]) -> uint256:
    """@notice Stake msg.value (at least minStake) and register an attested enclave key."""
    assert msg.value >= config.params.minStake, "registry: stake below minimum"
    assert len(served) > 0, "registry: no models"
    for model: bytes32 in served:
        assert self.modelConfig[model] & ENABLED_BIT != 0, "registry: unknown model"
    node_id: uint256 = self.nodeCount + 1
    assert node_id <= sampler.MAX_NODE_ID, "registry: node ids exhausted"
    self.nodeCount = node_id
    self.nodes[node_id].operator = msg.sender
    self.nodes[node_id].stake = msg.value
    self.nodes[node_id].status = ACTIVE
    self.nodes[node_id].models = served
    ledger.totalStake += msg.value
    self._attest(node_id, public_key, raw_quote, software_version, expiry, proof)
    for model: bytes32 in served:
        assert sampler.weight_of(model, node_id) > 0, "registry: model full (stake below its smallest node)"
    log NodeRegistered(node=node_id, operator=msg.sender, stake=msg.value, models=served)
    return node_id


@external
def reattest(node_id: uint256, public_key: Bytes[64], raw_quote: Bytes[quote.MAX_QUOTE], software_version: bytes32, expiry: uint256, proof: Bytes[MAX_PROOF]):
    """@notice Renew the attestation (same key) or rotate to a new enclave key; stake and history stay."""
    self.check_operator(node_id)
    assert self.nodes[node_id].status != JAILED, "registry: node jailed"
    assert self.nodes[node_id].stake > 0, "registry: no stake"
    self._attest(node_id, public_key, raw_quote, software_version, expiry, proof)


@external
@payable
def addStake(node_id: uint256):
    self.check_operator(node_id)
    assert self.nodes[node_id].status == ACTIVE, "registry: node not active"
    stake: uint256 = self.nodes[node_id].stake + msg.value
    self.nodes[node_id].stake = stake
    ledger.totalStake += msg.value
    self._update_weights(node_id, stake)
    log StakeChanged(node=node_id, stake=stake)


@external
def exit(node_id: uint256):
    """@notice Stop taking assignments; the stake unlocks after the unbonding period."""
    self.check_operator(node_id)
    status: uint256 = self.nodes[node_id].status
    assert status == ACTIVE or status == JAILED, "registry: already exiting"
    if status == ACTIVE:
        self._set_weights(node_id, 0)
    unbond_at: uint256 = block.timestamp + config.params.unbondingPeriod
    self.nodes[node_id].status = EXITING
    self.nodes[node_id].unbondAt = unbond_at
    log NodeStatusChanged(node=node_id, status=EXITING, unbondAt=unbond_at)


@external
def withdrawStake(node_id: uint256):
    """@notice After unbonding and with no open dispute, credit the remaining stake to the operator."""
    self.check_operator(node_id)
    assert self.nodes[node_id].status == EXITING, "registry: not exiting"
    assert block.timestamp >= self.nodes[node_id].unbondAt, "registry: still unbonding"
    assert self.nodes[node_id].openDisputes == 0, "registry: open dispute"
    stake: uint256 = self.nodes[node_id].stake
    assert stake > 0, "registry: no stake"
    self.nodes[node_id].stake = 0
    self.nodeKey[node_id] = empty(bytes32)
    ledger.totalStake -= stake
    ledger.credit(msg.sender, stake, ledger.REASON_STAKE_RETURN)
    log StakeChanged(node=node_id, stake=0)


@external
def lapseDelisted(node_id: uint256):
    """@notice Anyone: take a node whose workload the owner de-listed out of sampling (it may still exit)."""
    assert not staticcall self.admission.workloadAllowed(self.nodes[node_id].workloadId), "registry: workload allowed"
    self.lapse(node_id)


@external
def setModel(model: bytes32, fee: uint256, deterministic: bool, enabled: bool):
    owned.check_owner()
    assert model != empty(bytes32), "registry: zero model id"
    assert fee <= FEE_MASK, "registry: fee too large"
    packed: uint256 = fee
    if deterministic:
        packed |= DETERMINISTIC_BIT
    if enabled:
        packed |= ENABLED_BIT
    self.modelConfig[model] = packed
    log ModelSet(model=model, fee=fee, deterministic=deterministic, enabled=enabled)


def flag_nondeterministic(model: bytes32):
    packed: uint256 = self.modelConfig[model] & ~DETERMINISTIC_BIT
    self.modelConfig[model] = packed
    log ModelSet(model=model, fee=packed & FEE_MASK, deterministic=False, enabled=packed & ENABLED_BIT != 0)


@view
@external
def models(model: bytes32) -> Model:
    """@notice A model's fee (wei), whether results can be verified by re-execution, and whether it takes requests."""
    packed: uint256 = self.modelConfig[model]
    return Model(fee=packed & FEE_MASK, deterministic=packed & DETERMINISTIC_BIT != 0, enabled=packed & ENABLED_BIT != 0)
