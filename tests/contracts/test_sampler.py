"""The stake-weighted draw against a plain Python model: cumulative stakes in slot order."""
import boa
import eth_abi
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cloister_kit as K


class SlotModel:
    """Slots are handed out in order and freed slots are reused last-in first-out."""

    def __init__(self):
        self.slots: list[tuple[int, int] | None] = []  # (node, weight) per slot index - 1
        self.free: list[int] = []

    def add(self, node: int, weight: int):
        if self.free:
            index = self.free.pop()
            self.slots[index] = (node, weight)
        else:
            self.slots.append((node, weight))

    def remove(self, node: int):
        index = next(i for i, s in enumerate(self.slots) if s and s[0] == node)
        self.slots[index] = None
        self.free.append(index)

    def set(self, node: int, weight: int):
        index = next(i for i, s in enumerate(self.slots) if s and s[0] == node)
        self.slots[index] = (node, weight)

    def draw(self, seed: int) -> int:
        r = seed % sum(s[1] for s in self.slots if s)
        for s in self.slots:
            if s is None:
                continue
            if r < s[1]:
                return s[0]
            r -= s[1]
        raise AssertionError("unreachable")


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(stakes=st.lists(st.integers(1, 50), min_size=2, max_size=10), leave=st.lists(st.integers(0, 9), max_size=3),
       top_up=st.integers(0, 30), seeds=st.lists(st.integers(0, 2**256 - 1), min_size=5, max_size=5))
def test_draw_matches_cumulative_stake_model(world, stakes, leave, top_up, seeds):
    with boa.env.anchor():
        model = SlotModel()
        nodes = []
        for s in stakes:
            node = world.register(stake=s * K.ETHER // 10 + K.ETHER)
            nodes.append(node)
            model.add(node.id, s * K.ETHER // 10 + K.ETHER)
        for i in sorted(set(i for i in leave if i < len(nodes) - 1)):
            with boa.env.prank(nodes[i].operator):
                world.core.exit(nodes[i].id)
            model.remove(nodes[i].id)
        newcomer = world.register(stake=2 * K.ETHER)
        model.add(newcomer.id, 2 * K.ETHER)
        with boa.env.prank(newcomer.operator):
            world.core.addStake(newcomer.id, value=top_up * K.ETHER // 10)
        model.set(newcomer.id, 2 * K.ETHER + top_up * K.ETHER // 10)
        requester = boa.env.generate_address()
        world.fund(requester, 100 * K.ETHER)
        for seed in seeds:
            # a request's seed is keccak256(prevrandao ‖ requestId): the live tree must agree with the model
            boa.env.evm.patch.prevrandao = seed.to_bytes(32, "big")
            req = world.request(requester)
            drawn = int.from_bytes(keccak(seed.to_bytes(32, "big") + req[0]), "big")
            assert req[8] == model.draw(drawn)
        # the draw history holds the same slots, in force from the next epoch on
        before = K.decode_words(world.core.drawWords(K.MODEL), K.block_number() // 256)
        K.mine(256)
        after = K.decode_words(world.core.drawWords(K.MODEL), K.block_number() // 256)
        expected = [(s[0], s[1] // 10**15) if s else (0, 0) for s in model.slots]
        assert after == expected
        assert before != after or all(s is None for s in model.slots)
