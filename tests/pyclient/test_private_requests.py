"""cloister_client's private requests (issue 18) against a dev network with sealed models (`sealed=True`): two
real nodes serve MiniLM sealed as a private model (similarity released with differential privacy, ε 0.5 a
request, 2.0 per requester per day) and as a proprietary one. `request_private` sends through the model vault,
the answer decodes as a (noised) similarity, `remaining_budget` shows the budget going down, and past it the
client refuses before sending anything; a timed-out private request's fee comes back through the vault."""
from __future__ import annotations

import eth_abi
import pytest
from devchain.accounts import dev_private_key
from eth_utils import keccak

from cloister_client import Cloister, CloisterError, Trust
from devnet.accounts import ADVERSARY_REQUESTER, PRIVATE_REQUESTER
from devnet.network import dev_network
from devnet.sealed import PRIVATE_POLICY
from devnet.userenv import write_user_environment

pytestmark = pytest.mark.node_e2e
COST, BUDGET = PRIVATE_POLICY["epsilon_micros"], PRIVATE_POLICY["budget_micros"]


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    with dev_network(tmp_path_factory.mktemp("pyclient-private"), node_count=2, sealed=True) as net:
        yield net, write_user_environment(net)


def client_for(net, account: int) -> Cloister:
    return Cloister(net.chain.url, net.deployment.path, dev_private_key(account))


@pytest.fixture(scope="module")
def client(network):
    net, _ = network
    return client_for(net, PRIVATE_REQUESTER)


def sealed(net, name: str) -> bytes:
    return next(m.id for m in net.sealed if m.name == name)


def test_private_request_is_answered_noised_and_charged(network, client):
    net, user = network
    model = sealed(net, "private")
    record = client.vault_model(model)
    assert record.private and record.task == "similarity" and record.epsilon_micros == COST
    assert client.remaining_budget(model) == BUDGET
    texts = ("my record is in the data", "the data holds records")
    sent = client.request_private(model, *texts)
    assert sent.private and sent.epsilon_micros == COST and sent.budget_remaining_micros == BUDGET - COST
    assert client.remaining_budget(model) == BUDGET - COST
    assert client.remaining_budget(model, user.requester.address) == BUDGET  # another account's budget is its own
    requested = client.requested_event(sent.id)["args"]
    assert requested["requester"] == client.vault.address  # the core's requester is the vault
    result = client.wait(sent, timeout=120)
    assert result.status == 0 and result.commitment_matches, result.error
    exact = net.cloister.reference_output("similarity", eth_abi.encode(["string", "string"], list(texts)))
    assert result.output != exact  # noised
    assert -1_000_000 <= result.decoded["similarity"] <= 1_000_000  # still a similarity × 10⁶, clamped to its range
    # sealed to the nodes this process verified: the envelope names the vault as requester
    sent = client.request_private(model, "a sealed question", "about the data",
                                  trust=Trust.simulated(user.variables["CLOISTER_SIMULATED_TEE"]), recipients=2)
    assert sent.confidential and sent.budget_remaining_micros == BUDGET - 2 * COST
    assert b"a sealed question" not in bytes(client.requested_event(sent.id)["args"]["input"])
    result = client.wait(sent, timeout=120)
    assert result.status == 0 and result.commitment_matches, result.error
    assert -1_000_000 <= result.decoded["similarity"] <= 1_000_000


def test_past_the_budget_the_client_refuses_before_sending(network, client):
    net, _ = network
    model = sealed(net, "private")
    remaining = []
    while client.remaining_budget(model) >= COST:
        remaining.append(client.request_private(model, "spend", "the budget").budget_remaining_micros)
    assert remaining and remaining[-1] == 0 and remaining == sorted(remaining, reverse=True)
    nonce = client.w3.eth.get_transaction_count(client.address)
    with pytest.raises(CloisterError, match=r"privacy budget .* is exhausted for this period: ε 0 left of 2, "
                                            r"a request costs ε 0.5; it renews at \d+ .*nothing was sent"):
        client.request_private(model, "one", "more")
    assert client.w3.eth.get_transaction_count(client.address) == nonce


def test_models_without_a_policy_are_not_requested_privately(network, client):
    net, _ = network
    with pytest.raises(CloisterError, match="has no privacy policy in the model vault; request it with request"):
        client.request_private(sealed(net, "proprietary"), "a", "b")
    with pytest.raises(CloisterError, match="is not in the model vault"):
        client.request_private(keccak(b"no such model"), "a", "b")
    assert client.remaining_budget(sealed(net, "proprietary")) == 0


def test_timed_out_private_request_is_refunded_through_the_vault(network):
    net, _ = network
    client = client_for(net, ADVERSARY_REQUESTER)  # a budget of its own
    model = sealed(net, "private")
    for node in net.nodes:  # nobody answers: the nodes are stopped
        node.stop()
    try:
        sent = client.request_private(model, "nobody will answer", "this one",
                                      deadline_seconds=net.deployment.params()["minResponseTime"])
        with pytest.raises(CloisterError, match="may still be answered"):
            client.claim_private_refund(sent.id)
        net.chain.advance(sent.deadline - net.chain.block_timestamp() + 1, 1)
        assert client.claim_private_refund(sent.id) == sent.fee  # paid to this account by the vault
        assert client.vault.functions.privateFees(sent.id).call() == 0
        with pytest.raises(CloisterError, match="claimed already"):
            client.claim_private_refund(sent.id)
        assert client.remaining_budget(model) == BUDGET - COST  # ε is not given back
    finally:
        for node in net.nodes:
            node.start(standing=False)
