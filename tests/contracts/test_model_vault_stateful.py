"""Random runs against ModelVault.vy with adversarial actors, checking its rules after every step.

Actors: the model owner (publishes wraps, rotates, changes workloads and budgets, approves requesters),
honest enclaves enrolling with their own quotes (TDX and SGX, random validity, two of them registered
nodes, one jailable), holders re-wrapping for each other, a copier (copied quotes, forged signatures),
requesters and sybils spending budget, refunds triggered by anyone and claimed by anyone, the
Admission owner de-listing a workload, and time jumps.

Each step computes the expected outcome from an independent model of the rules and asserts the vault
agrees (accepted, or refused with the reason of the first rule broken). Invariants: only enrolled,
eligible signers ever get a wrap; every wrap at an epoch was published by the owner or by a signer
holding that epoch; ε spent never exceeds the budget in force for a requester in a period; the vault's
ETH (its balance plus its credit at the core) equals the refunds it owes; no requester gets back more
than it paid.
"""
from collections import Counter

import boa
from eth_utils import keccak
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

import cloister_kit as K
import vault_kit as V

TDX, SGX = K.workload_id(K.TDX_QUOTE), K.workload_id(K.SGX_QUOTE)
POOL = 6  # enclaves 0..3 TDX, 4..5 SGX; 0 and 1 are registered nodes (0 at the minimum stake: jailable)
_base = {}
REACHED = Counter()


def base():
    """Deployed once, outside every example's snapshot."""
    if "kit" not in _base:
        world = K.deploy_world()
        kit = V.Vault(world)
        model = kit.register_model()
        with boa.env.prank(kit.owner):  # two requests per period: runs reach the limit
            kit.vault.setBudget(model, 2 * V.EPSILON, V.PERIOD, False)
        pool = []
        for i in range(POOL):
            key = K.EnclaveKey(keccak(b"stateful enclave" + bytes([i])))
            pool.append((key, "0x" + keccak(b"stateful operator" + bytes([i]))[:20].hex(),
                         K.TDX_QUOTE if i < 4 else K.SGX_QUOTE))
        nodes = {}
        for i, stake in ((0, K.ETHER), (1, 10 * K.ETHER)):
            key, operator, quote_base = pool[i]
            nodes[i] = kit.register_node(model, V.Enclave(key, operator, quote_base, K.now() + 30 * 86400 - 1), stake)
        world.register(stake=10 * K.ETHER, models=[model])  # a third node, outside the pool
        _base.update(kit=kit, model=model, pool=pool, nodes=nodes, world_nodes=list(world.nodes))
        patch = boa.env.evm.patch
        _base["clock"] = (patch.timestamp, patch.block_number, list(patch.prev_hashes))
    return _base["kit"]


class VaultMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.kit = _KIT
        self.world = self.kit.world
        self.vault = self.kit.vault
        self.model = _base["model"]
        self.pool = _base["pool"]
        self.anchor = boa.env.anchor()
        self.anchor.__enter__()
        patch = boa.env.evm.patch
        self.clock = (patch.timestamp, patch.block_number, list(patch.prev_hashes))
        patch.timestamp, patch.block_number, patch.prev_hashes = _base["clock"][0], _base["clock"][1], list(_base["clock"][2])
        self.world.nodes = list(_base["world_nodes"])
        # the independent model of the vault's state
        self.epoch = 1
        self.enrolled = {}  # signer -> (workload, expiry)
        self.wraps = set()  # (epoch, signer)
        self.entry_workloads = []
        self.sgx_allowed = True
        self.budget, self.period, self.listed = 2 * V.EPSILON, V.PERIOD, False
        self.approved = set()
        self.spent = Counter()  # (requester, period index) -> ε
        self.requesters = ["0x" + keccak(b"stateful requester" + bytes([i]))[:20].hex() for i in range(4)]
        for r in self.requesters:
            self.world.fund(r, 100 * K.ETHER)
        self.copier = "0x" + keccak(b"stateful copier")[:20].hex()
        self.world.fund(self.copier, 10 * K.ETHER)
        self.private = {}  # id -> (request tuple, requester)
        self.refunded = set()
        self.claimed = set()
        self.paid = Counter()
        self.received = Counter()
        # a start every run shares: enclaves 0 (TDX) and 4 (SGX) enrolled for a week, the owner wrapped to 0
        for i in (0, 4):
            enclave = self._enclave(i)
            self.kit.enroll(self.model, enclave)
            self.enrolled[enclave.signer] = (TDX if i < 4 else SGX, enclave.expiry)
        self.kit.publish_by_owner(self.model, self._enclave(0))
        self.wraps.add((1, self.pool[0][0].address))

    def teardown(self):
        try:
            if hasattr(self, "private"):  # every refund owed can be claimed, by its requester only
                for rid in list(self.refunded - self.claimed):
                    self._claim(rid, self.private[rid][1])
                assert self.kit.owed() == 0
        finally:
            self.anchor.__exit__(None, None, None)
            patch = boa.env.evm.patch
            patch.timestamp, patch.block_number, patch.prev_hashes = self.clock

    # ---- helpers ---------------------------------------------------------------------------
    def _enclave(self, i, validity=7 * 86400):
        key, operator, quote_base = self.pool[i]
        return V.Enclave(key, operator, quote_base, K.now() + validity)

    def _workload_ok(self, workload):
        allowed = workload == TDX or self.sgx_allowed
        return allowed and (not self.entry_workloads or workload in self.entry_workloads)

    def _enrollment_reason(self, signer, role):
        workload, expiry = self.enrolled[signer]
        if expiry <= K.now():
            return f"vault: {role} enrollment expired"
        if not self._workload_ok(workload):
            return f"vault: {role} workload not allowed"
        return None

    def _recipient_reason(self, signer):
        if signer not in self.enrolled:
            return "vault: recipient not enrolled"
        reason = self._enrollment_reason(signer, "recipient")
        if reason:
            return reason
        if (self.epoch, signer) in self.wraps:
            return "vault: key already published for recipient"
        return None

    def _holder_reason(self, signer):
        if (self.epoch, signer) not in self.wraps:
            return "vault: holder has no key at this epoch"
        reason = self._enrollment_reason(signer, "holder")
        if reason:
            return reason
        node = self.world.core.signerNode(signer)
        if node != 0 and self.world.core.statusOf(node) == 3:
            return "vault: holder jailed"
        return None

    def _published(self, recipient, publisher):
        event = self.vault.get_logs()[-1]
        assert type(event).__name__ == "KeyPublished" and event.recipient == recipient and event.epoch == self.epoch
        # every wrap at an epoch comes from the owner or from a signer holding that epoch
        assert event.holder == self.kit.owner or (self.epoch, event.holder) in self.wraps
        assert event.holder == publisher
        self.wraps.add((self.epoch, recipient))

    # ---- the owner ---------------------------------------------------------------------------
    def _pick(self, data, candidates):
        """Mostly a candidate that can take part (so runs get far), sometimes any enclave of the pool."""
        if candidates and data.draw(st.integers(0, 3)) > 0:
            return data.draw(st.sampled_from(sorted(candidates)))
        return data.draw(st.integers(0, POOL - 1))

    def _eligible_recipients(self):
        return [i for i in range(POOL) if self._recipient_reason(self.pool[i][0].address) is None]

    @rule(data=st.data())
    def owner_publishes(self, data):
        signer = self.pool[self._pick(data, self._eligible_recipients())][0].address
        reason = self._recipient_reason(signer)
        wrapped = V.wrap_bytes(signer.encode() + self.epoch.to_bytes(4, "big"))
        with boa.env.prank(self.kit.owner):
            if reason:
                with boa.reverts(reason):
                    self.vault.publishKey(self.model, self.epoch, signer, wrapped, K.ZERO, 0, K.ZERO32, K.ZERO32)
                REACHED["owner refused"] += 1
                return
            self.vault.publishKey(self.model, self.epoch, signer, wrapped, K.ZERO, 0, K.ZERO32, K.ZERO32)
        self._published(signer, self.kit.owner)
        REACHED["owner published"] += 1

    @rule(now=st.integers(0, 3))
    def owner_rotates(self, now):
        if now:
            return  # rotations are rarer than the other steps
        with boa.env.prank(self.kit.owner):
            self.vault.rotate(self.model, keccak(b"sealed" + self.epoch.to_bytes(4, "big")), "/m")
        self.epoch += 1
        assert self.vault.models(self.model).epoch == self.epoch
        REACHED["rotated"] += 1

    @rule(choice=st.sampled_from([(), (TDX,), (SGX,), (TDX, SGX)]))
    def owner_sets_workloads(self, choice):
        with boa.env.prank(self.kit.owner):
            self.vault.setWorkloads(self.model, list(choice))
        self.entry_workloads = list(choice)

    @rule(budget=st.sampled_from([V.EPSILON, 2 * V.EPSILON, V.BUDGET]), period=st.sampled_from([3600, 86400]),
          listed=st.booleans())
    def owner_sets_budget(self, budget, period, listed):
        with boa.env.prank(self.kit.owner):
            self.vault.setBudget(self.model, budget, period, listed)
        self.budget, self.period, self.listed = budget, period, listed

    @rule(r=st.integers(0, 3), allowed=st.booleans())
    def owner_approves(self, r, allowed):
        with boa.env.prank(self.kit.owner):
            self.vault.setRequester(self.model, self.requesters[r], allowed)
        (self.approved.add if allowed else self.approved.discard)(self.requesters[r])

    @rule()
    def admission_toggles_sgx(self):
        self.sgx_allowed = not self.sgx_allowed
        with boa.env.prank(self.world.owner):  # other tests' worlds move boa's default sender
            self.world.admission.setWorkload(SGX, self.sgx_allowed)

    # ---- enclaves ----------------------------------------------------------------------------
    @rule(i=st.integers(0, POOL - 1), validity=st.sampled_from([3600, 86400, 7 * 86400]), by_copier=st.booleans())
    def enclave_enrolls(self, i, validity, by_copier):
        """The enclave's operator enrolls it, or a copier replays its public quote: the same record."""
        enclave = self._enclave(i, validity)
        workload = TDX if enclave.base == K.TDX_QUOTE else SGX
        sender = self.copier if by_copier else enclave.operator
        if not (workload == TDX or self.sgx_allowed):
            with boa.reverts("admission: workload not allowed"):
                self.kit.enroll(self.model, enclave, sender=sender)
            return
        if self.entry_workloads and workload not in self.entry_workloads:
            with boa.reverts("vault: workload not allowed for model"):
                self.kit.enroll(self.model, enclave, sender=sender)
            return
        self.kit.enroll(self.model, enclave, sender=sender)
        self.enrolled[enclave.signer] = (workload, enclave.expiry)
        REACHED["enrolled"] += 1

    @rule(data=st.data())
    def holder_publishes(self, data):
        holders = [i for i in range(POOL) if (self.epoch, self.pool[i][0].address) in self.wraps]
        holder = self._enclave(self._pick(data, holders))
        recipient = self._enclave(self._pick(data, self._eligible_recipients()))
        reason = self._recipient_reason(recipient.signer)
        if reason is None:
            reason = self._holder_reason(holder.signer)
        if reason:
            with boa.reverts(reason):
                self.kit.publish_by_holder(self.model, holder, recipient)
            REACHED["holder refused"] += 1
            return
        self.kit.publish_by_holder(self.model, holder, recipient)
        self._published(recipient.signer, holder.signer)
        REACHED["holder published"] += 1

    @rule(h=st.integers(0, POOL - 1), r=st.integers(0, POOL - 1), old=st.booleans())
    def copier_attacks(self, h, r, old):
        """The copier enrolls a victim's quote under its own key, forges a holder's signature, or replays a
        holder's signature from the epoch before."""
        victim = self._enclave(r)
        quote, proof = self.kit.attestation(victim)
        copier_key = K.EnclaveKey(keccak(b"stateful copier key"))
        with boa.env.prank(self.copier), boa.reverts():
            self.vault.enroll(self.model, copier_key.public_key, quote, victim.operator, K.VERSION, victim.expiry, proof)
        holder = self._enclave(h)
        wrapped = V.wrap_bytes(b"copier")
        if old and self.epoch > 1:  # a real signature of the holder, for the previous epoch
            signature = self.kit.sign_wrap(holder, self.model, self.epoch - 1, victim.signer, wrapped)
        else:
            signature = self.kit.sign_wrap(V.Enclave(copier_key, self.copier, K.TDX_QUOTE, 0), self.model, self.epoch,
                                           victim.signer, wrapped)
        with boa.reverts():
            self.kit.publish_by_holder(self.model, holder, victim, wrapped=wrapped, sender=self.copier,
                                       signature=signature)
        if self.epoch > 1:
            with boa.reverts("vault: not the current epoch"):
                self.kit.publish_by_holder(self.model, holder, victim, epoch=self.epoch - 1, sender=self.copier)
        assert not self.vault.holds(self.model, self.epoch, copier_key.address)
        assert not self.vault.holds(self.model, self.epoch, self.copier)
        REACHED["copier refused"] += 1

    # ---- requesters ---------------------------------------------------------------------------
    @rule(r=st.integers(0, 3), fee=st.integers(1, 4))
    def request_private(self, r, fee):
        requester = self.requesters[r]
        index = K.now() // self.period
        before = self.vault.spent(self.model, requester, index)
        assert before == self.spent[(requester, index)]
        args = (self.model, b"x" * 64, K.ZERO, 0, K.now() + 200, b"", [])
        if self.listed and requester not in self.approved:
            with boa.env.prank(requester), boa.reverts("vault: requester not approved"):
                self.vault.requestPrivate(*args, value=fee * K.MODEL_FEE)
            REACHED["sybil refused"] += 1
            return
        if before + V.EPSILON > self.budget:
            with boa.env.prank(requester), boa.reverts("vault: privacy budget exhausted"):
                self.vault.requestPrivate(*args, value=fee * K.MODEL_FEE)
            REACHED["over budget"] += 1
            return
        try:
            req = self.kit.request_private(requester, self.model, fee=fee * K.MODEL_FEE)
        except boa.BoaError as error:  # every node jailed or lapsed: the core refuses, nothing is spent
            assert "request: no eligible node" in str(error)
            assert self.vault.spent(self.model, requester, index) == before
            return
        event = [e for e in self.kit.events if type(e).__name__ == "PrivateRequested"][0]
        assert event.spentMicros == before + V.EPSILON <= event.budgetMicros == self.budget
        self.spent[(requester, index)] += V.EPSILON
        self.private[req[0]] = (req, requester)
        self.paid[requester] += fee * K.MODEL_FEE
        assert self.vault.privateRequests(req[0]).epoch == self.epoch
        REACHED["requested"] += 1

    @rule(data=st.data())
    def node_answers(self, data):
        open_ = [rid for rid, (req, _) in self.private.items()
                 if self.world.core.requests(rid) == K.pending_hash(req) and K.now() <= req[7]]
        if not open_:
            return
        req = self.private[data.draw(st.sampled_from(sorted(open_)))][0]
        if self.world.core.nodeKey(req[8]) == K.ZERO32 or K.now() >= self.world.node(req[8]).expiry:
            return  # a jailed node, or one whose attestation ran out, cannot sign
        self.world.fulfil(req)
        REACHED["fulfilled"] += 1

    @rule(data=st.data(), who=st.integers(0, 5))
    def anyone_refunds(self, data, who):
        pending = [rid for rid, (req, _) in self.private.items() if self.world.core.requests(rid) == K.pending_hash(req)]
        if not pending:
            return
        rid = data.draw(st.sampled_from(sorted(pending)))
        if K.now() <= self.private[rid][0][7]:  # the node stayed silent: wait out the deadline
            K.mine(1, seconds=self.private[rid][0][7] + 1 - K.now())
        due = [rid for rid, (req, _) in self.private.items()
               if self.world.core.requests(rid) == K.pending_hash(req) and K.now() > req[7]]
        rid = data.draw(st.sampled_from(sorted(due)))
        caller = (self.requesters + [self.copier, self.kit.owner])[who]
        with boa.env.prank(caller):
            self.world.core.refund(self.private[rid][0])
        self.refunded.add(rid)
        REACHED["refunded"] += 1

    def _claim(self, rid, caller):
        requester = self.private[rid][1]
        fee = self.private[rid][0][6]
        with boa.env.prank(caller):
            if caller != requester:
                with boa.reverts("vault: not the requester"):
                    self.vault.claimRefund(rid)
            elif rid in self.claimed:
                with boa.reverts("vault: nothing to refund"):
                    self.vault.claimRefund(rid)
            elif rid not in self.refunded:
                with boa.reverts("vault: request not refunded"):
                    self.vault.claimRefund(rid)
            else:
                before = boa.env.get_balance(caller)
                self.vault.claimRefund(rid)
                assert boa.env.get_balance(caller) - before == fee
                self.received[caller] += fee
                self.claimed.add(rid)
                REACHED["claimed"] += 1

    @rule(data=st.data(), who=st.integers(0, 4))
    def anyone_claims(self, data, who):
        if not self.private:
            return
        rid = data.draw(st.sampled_from(sorted(self.private)))
        self._claim(rid, (self.requesters + [self.copier])[who])

    @rule(seconds=st.sampled_from([60, 250, 3600, 86400]))
    def time_passes(self, seconds):
        K.mine(1, seconds=seconds)

    # ---- invariants ----------------------------------------------------------------------------
    @invariant()
    def only_eligible_signers_hold_wraps(self):
        for i in range(POOL):
            signer = self.pool[i][0].address
            for epoch in range(1, self.epoch + 1):
                assert self.vault.holds(self.model, epoch, signer) == ((epoch, signer) in self.wraps)
        assert not self.vault.holds(self.model, self.epoch, self.copier)

    @invariant()
    def spent_within_budget(self):
        for r in self.requesters:
            index = K.now() // self.period
            assert self.vault.spent(self.model, r, index) == self.spent[(r, index)]
            may_spend = not self.listed or r in self.approved
            assert self.vault.remainingBudget(self.model, r) == (max(self.budget - self.spent[(r, index)], 0) if may_spend else 0)

    @invariant()
    def vault_holds_exactly_the_refunds_owed(self):
        owed = sum(self.private[rid][0][6] for rid in self.refunded - self.claimed)
        assert self.kit.owed() == owed
        for rid in self.private:
            assert self.vault.privateFees(rid) == (0 if rid in self.claimed else self.private[rid][0][6])
        assert self.world.accounted_ok()

    @invariant()
    def no_requester_gains(self):
        for r in self.requesters:
            assert self.received[r] <= self.paid[r]
        assert self.received[self.copier] == 0


_KIT = base()
SETTINGS = K.stateful_settings(max_examples=30, steps=50)


def test_vault_rules_hold_in_random_runs():
    REACHED.clear()
    run_state_machine_as_test(VaultMachine, settings=SETTINGS)
    for outcome in ("owner published", "holder published", "holder refused", "enrolled", "requested", "rotated",
                    "copier refused", "refunded", "claimed", "over budget"):
        assert REACHED[outcome] > 0, REACHED
