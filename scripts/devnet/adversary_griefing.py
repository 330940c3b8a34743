"""The adversarial requester against the running nodes, issue 12 items 4 and 5: broken envelope wraps and a
callback that burns its whole gas cap.

Envelope griefing (item 4): confidential requests whose envelope (version 2, docs/envelope.md) has the key
wrap of a recipient broken, built with the independent Python reference (tests/envelope/
envelope_reference.py) for the recipients' registered enclave keys and the request's own context (chain
id, core, the attacker's address, its output key). The recipient whose wrap is broken answers status 3
(as executor) or abstains (as verifier); the attacker then tries to turn that honest answer into a slash
with `Arbiter.proveWrap`, revealing the broken wrap's ephemeral secret, which must revert ("wrap: does
not open"). As a control, it tries proveWrap against a node that answered a request whose wraps are all
good ("wrap: no failure reported").

Callback gas (item 5): the attacker deploys tests/contracts/support/GasBurner.vy (its callback burns all
the gas it gets when the status is not 0), asks for the maximum callback gas with one wei less than
`requestFee(model, callbackGas)` (refused), then pays it, with a sealed input that is not a valid question,
so the honest node answers status 1 and the callback burns its whole cap in the node's transaction.

Each move is recorded here; adversary_checks judges it from the chain.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from cloister_chain import RpcError, Signer, TransactionFailed, compile_contract, view
from coincurve import PrivateKey

from . import ROOT
from .accounts import ADVERSARY_REQUESTER
from .adversary import params_names
from .settlement import FULFILLED, VERIFIED, request_tuple
from .traffic import NO_CALLBACK

sys.path.insert(0, str(ROOT / "tests" / "envelope"))
import envelope_reference as envelope  # noqa: E402  (the independent reference, not the node's code)

PROVE_GAS = 600_000  # a mined proveWrap attempt (a proof that slashes takes about 460k; the gas is the attacker's)
BURNER = "../tests/contracts/support/GasBurner.vy"  # relative to contracts/
NOT_A_QUESTION = b"not a classify question: the node answers status 1 and the callback burns its gas"
ANSWER_WITHIN = 3600


@dataclass
class Proof:
    """One proveWrap attempt against `node` (recipient `index` of the envelope)."""

    node: int
    index: int
    opens: bool  # what the reference computes: whether the wrap opens to the committed key
    call_error: str | None  # the eth_call's revert reason (None: it would have succeeded)
    status: int | None = None  # the mined attempt's receipt status
    tx: str | None = None


@dataclass
class Envelope:
    """A confidential request of the attacker: its recipients, the ones whose wrap is broken, the secrets."""

    label: str
    request_id: bytes
    recipients: list[int]
    broken: set[int]  # node ids whose wrap is broken
    input: bytes
    secrets: list[bytes]  # ephemeral secret per recipient, in order
    proofs: list[Proof] = field(default_factory=list)

    @property
    def control(self) -> bool:
        return not self.broken


@dataclass
class CallbackGas:
    """The gas-burning consumer's requests and what the node paid to answer it."""

    burner: str | None = None
    callback_gas: int = 0
    gas_price: int = 0  # params().gasPrice
    required: int = 0  # core.requestFee(model, callbackGas)
    underpaid: str | None = None  # the revert reason of requestFee - 1
    request_id: bytes | None = None
    node: int = 0  # the recipient (an honest node)


def revert_reason(signer: Signer, to: str, data: str, value: int = 0) -> str | None:
    """The error of an eth_call from `signer` (None if it would succeed)."""
    try:
        signer.rpc.call("eth_call", {"from": signer.address, "to": to, "data": data, "value": hex(value)}, "latest")
    except RpcError as error:
        return str(error.error.get("message"))
    return None


def send_mined(signer: Signer, to: str, data: str, gas: int) -> tuple[int, str]:
    """Sends `data` with a fixed gas limit (no estimate, so a reverting call is mined); (status, tx hash)."""
    try:
        receipt = signer.send_raw(signer.sign(to, data, gas=gas))
    except TransactionFailed as failed:
        receipt = failed.receipt
    return int(receipt["status"], 16), receipt["transactionHash"]


def enclave_key(stage, node_id: int) -> bytes:
    """The node's registered enclave public key (`nodes(id).publicKey`, x ‖ y), uncompressed with its 0x04."""
    return b"\x04" + bytes(view(stage.net.chain.rpc, stage.net.deployment.core, "nodes", node_id)[2])


def seal_for(stage, requester: Signer, output_key: bytes, payload: bytes, recipients: list[int],
             broken: int | None) -> tuple[bytes, list[bytes]]:
    """An envelope for `recipients` bound to the attacker's request (chain id, core, requester, output key),
    with the wrap of recipient index `broken` broken; returns it and the ephemeral secrets."""
    net = stage.net
    context = envelope.Context(net.chain.chain_id, bytes.fromhex(net.deployment.core.address[2:]),
                               bytes.fromhex(requester.address[2:]), output_key)
    secrets = [PrivateKey().secret for _ in recipients]
    sealed = envelope.seal(payload, [enclave_key(stage, n) for n in recipients], context,
                           ephemeral_secrets=secrets, broken=broken)
    return sealed, secrets


def request_data(deployment, payload: bytes, callback: str, callback_gas: int, deadline: int, output_key: bytes,
                 recipients: list[int]) -> str:
    return deployment.core.calldata("request", deployment.models["classify"], payload, callback, callback_gas,
                                    deadline, output_key, recipients)


def requested_fields(deployment, receipt: dict) -> dict:
    return next(f for name, f in deployment.core.events(receipt) if name == "Requested")


def fulfilment(events, request_id: bytes) -> tuple:
    """The result's Fulfilment as the book holds it now (FULFILLED, or VERIFIED with its verifier)."""
    fulfilled = events.first("Fulfilled", request_id)
    verified = events.first("Verified", request_id)
    state, verifier = (VERIFIED, verified.fields["verifier"]) if verified else (FULFILLED, 0)
    return (fulfilled.fields["outputCommitment"], fulfilled.block, fulfilled.fields["fulfilledAt"], state, verifier,
            fulfilled.fields["status"], fulfilled.fields["paramsVersion"])


def prove(stage, requester: Signer, sent: Envelope, node: int) -> Proof:
    """proveWrap against `node` with its wrap's ephemeral secret: as a call (its error), then mined."""
    deployment = stage.net.deployment
    index = sent.recipients.index(node)
    reference = envelope.wrap_proof(sent.input, index, sent.secrets[index])
    requested = stage.events.first("Requested", sent.request_id).fields
    data = deployment.arbiter.calldata("proveWrap", request_tuple(requested), fulfilment(stage.events, sent.request_id),
                                       node, sent.input, index, reference["ephemeralSecret"])
    proof = Proof(node, index, reference["opens"], revert_reason(requester, deployment.arbiter.address, data))
    proof.status, proof.tx = send_mined(requester, deployment.arbiter.address, data, PROVE_GAS)
    return proof


def envelope_griefing(stage, attacks) -> None:
    """Two requests with a broken wrap and a control with every wrap good, to honest nodes 1-3 (node 0's
    results are the relayer's); then proveWrap against every node that reported a failure, and against the
    control's executor."""
    net, honest = stage.net, [n.node_id for n in stage.actors.honest[1:4]]
    requester = net.chain.signer(ADVERSARY_REQUESTER)
    output_key = PrivateKey().public_key.format(compressed=True)
    # the last one: every wrap opens, but the header is bound to another output key than the request's; the
    # node must answer it as invalid input (status 1, what every recipient sees), never as a decryption
    # failure the attacker could then "disprove" with proveWrap
    elsewhere = PrivateKey().public_key.format(compressed=True)
    plans = [("one recipient, its wrap broken", [honest[0]], 0, output_key),
             ("two recipients, the first one's wrap broken", [honest[1], honest[2]], 0, output_key),
             ("control: two recipients, every wrap good", [honest[0], honest[2]], None, output_key),
             ("control: every wrap good, header bound to another output key", [honest[1]], None, elsewhere)]
    deadline = net.chain.block_timestamp() + ANSWER_WITHIN
    for label, recipients, broken, sealed_to in plans:
        sealed, secrets = seal_for(stage, requester, sealed_to, stage.inputs.take("classify"), recipients, broken)
        data = request_data(net.deployment, sealed, NO_CALLBACK, 0, deadline, output_key, recipients)
        receipt = requester.send_raw(requester.sign(net.deployment.core.address, data, net.deployment.fee("classify")))
        broken_ids = set() if broken is None else {recipients[broken]}
        attacks.envelopes.append(Envelope(label, requested_fields(net.deployment, receipt)["id"], recipients,
                                          broken_ids, sealed, secrets))
    stage.await_judged([e.request_id for e in attacks.envelopes], "griefing envelopes")
    events = stage.events.poll()
    for sent in attacks.envelopes:
        fulfilled = events.first("Fulfilled", sent.request_id)
        if fulfilled is None:
            continue
        executor, status = fulfilled.fields["node"], fulfilled.fields["status"]
        reported = ({executor} if status == 3 else set()) | {e.fields["node"] for e in events.named(
            "Abstained", id=sent.request_id)}
        for node in sorted(reported if not sent.control else {executor}):
            sent.proofs.append(prove(stage, requester, sent, node))
        stage.log(f"envelope griefing: {sent.label}: node id {executor} answered status {status}"
                  + "".join(f"; proveWrap against node id {p.node}: {p.call_error or 'accepted'} (mined: status "
                            f"{p.status})" for p in sent.proofs))


def callback_gas(stage, attacks) -> None:
    """The gas burner as callback with maxCallbackGas: one wei short of requestFee (refused), then paid, to
    an honest node alone with a sealed input that is no question (status 1: the callback burns its cap)."""
    net, gas = stage.net, attacks.callback
    chain, deployment = net.chain, net.deployment
    requester = chain.signer(ADVERSARY_REQUESTER)
    burner, _ = requester.deploy(compile_contract(BURNER))
    params = dict(zip(params_names(deployment), view(chain.rpc, deployment.core, "params")))
    gas.burner, gas.callback_gas, gas.gas_price = burner.address, params["maxCallbackGas"], params["gasPrice"]
    gas.required = view(chain.rpc, deployment.core, "requestFee", deployment.models["classify"], gas.callback_gas)
    gas.node = stage.actors.honest[3].node_id
    output_key = PrivateKey().public_key.format(compressed=True)
    sealed, _ = seal_for(stage, requester, output_key, NOT_A_QUESTION, [gas.node], None)
    data = request_data(deployment, sealed, burner.address, gas.callback_gas,
                        chain.block_timestamp() + ANSWER_WITHIN, output_key, [gas.node])
    try:
        requester.sign(deployment.core.address, data, gas.required - 1)
    except RpcError as error:
        gas.underpaid = str(error)
    receipt = requester.send_raw(requester.sign(deployment.core.address, data, gas.required))
    gas.request_id = requested_fields(deployment, receipt)["id"]
    stage.await_judged([gas.request_id], "gas burner request")
    fulfilled = stage.events.poll().first("Fulfilled", gas.request_id)
    stage.log(f"callback gas: {gas.callback_gas} gas at {gas.gas_price} wei: requestFee {gas.required} wei; one wei "
              f"less refused ({gas.underpaid}); paid request "
              + (f"answered by {fulfilled.fields['node']} with status {fulfilled.fields['status']} (callbackOk "
                 f"{fulfilled.fields['callbackOk']}, tx {fulfilled.tx})" if fulfilled else "not answered"))

