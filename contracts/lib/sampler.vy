# pragma version 0.4.3
"""
@title Stake-weighted sampling over the nodes that serve a model
@notice One Fenwick tree of stakes per model with CAPACITY slots: a draw reads
        log2(CAPACITY) + 2 storage slots, an update writes log2(CAPACITY) + 1.
"""

CAPACITY: constant(uint256) = 64
LEVELS: constant(uint256) = 6

tree: HashMap[bytes32, HashMap[uint256, uint256]]
slotNode: HashMap[bytes32, HashMap[uint256, uint256]]
slotWeight: HashMap[bytes32, HashMap[uint256, uint256]]
nodeSlot: HashMap[uint256, HashMap[bytes32, uint256]]
slotsUsed: HashMap[bytes32, uint256]
freeSlots: HashMap[bytes32, DynArray[uint256, CAPACITY]]


def _raise(model: bytes32, index: uint256, delta: uint256):
    i: uint256 = index
    for _: uint256 in range(LEVELS + 1):
        if i > CAPACITY:
            break
        self.tree[model][i] += delta
        i += i & (~i + 1)


def _lower(model: bytes32, index: uint256, delta: uint256):
    i: uint256 = index
    for _: uint256 in range(LEVELS + 1):
        if i > CAPACITY:
            break
        self.tree[model][i] -= delta
        i += i & (~i + 1)


def set_weight(model: bytes32, node: uint256, weight: uint256):
    """@dev Adds the node on first use; weight 0 removes it and frees its slot."""
    index: uint256 = self.nodeSlot[node][model]
    if index == 0:
        if weight == 0:
            return
        if len(self.freeSlots[model]) > 0:
            index = self.freeSlots[model].pop()
        else:
            index = self.slotsUsed[model] + 1
            assert index <= CAPACITY, "sampler: model full"
            self.slotsUsed[model] = index
        self.nodeSlot[node][model] = index
        self.slotNode[model][index] = node
    old: uint256 = self.slotWeight[model][index]
    if weight > old:
        self._raise(model, index, weight - old)
    elif old > weight:
        self._lower(model, index, old - weight)
    self.slotWeight[model][index] = weight
    if weight == 0:
        self.nodeSlot[node][model] = 0
        self.slotNode[model][index] = 0
        self.freeSlots[model].append(index)


@view
def weight_of(model: bytes32, node: uint256) -> uint256:
    index: uint256 = self.nodeSlot[node][model]
    if index == 0:
        return 0
    return self.slotWeight[model][index]


@view
def total(model: bytes32) -> uint256:
    return self.tree[model][CAPACITY]


@view
def draw(model: bytes32, seed: uint256) -> uint256:
    """@return a node id with probability stake / total stake, or 0 if nobody serves the model."""
    remaining: uint256 = self.tree[model][CAPACITY]
    if remaining == 0:
        return 0
    remaining = seed % remaining
    pos: uint256 = 0
    step: uint256 = CAPACITY // 2
    for _: uint256 in range(LEVELS):
        partial: uint256 = self.tree[model][pos + step]
        if partial <= remaining:
            pos += step
            remaining -= partial
        step //= 2
    return self.slotNode[model][pos + 1]


MAX_CANDIDATES: constant(uint256) = 16
MAX_EXCLUDED: constant(uint256) = 10
ATTEMPTS: constant(uint256) = 8


@view
def draw_among(model: bytes32, candidates: DynArray[uint256, MAX_CANDIDATES], seed: uint256) -> uint256:
    """@return a candidate with probability proportional to its stake on `model` (0 if none has any)."""
    weights: DynArray[uint256, MAX_CANDIDATES] = []
    total: uint256 = 0
    for node: uint256 in candidates:
        w: uint256 = self.weight_of(model, node)
        weights.append(w)
        total += w
    if total == 0:
        return 0
    remaining: uint256 = seed % total
    for i: uint256 in range(MAX_CANDIDATES):
        if i >= len(candidates):
            break
        if remaining < weights[i]:
            return candidates[i]
        remaining -= weights[i]
    return 0


@view
def draw_excluding(model: bytes32, candidates: DynArray[uint256, MAX_CANDIDATES], seed: uint256, excluded: DynArray[uint256, MAX_EXCLUDED]) -> uint256:
    """
    @notice Draw from `candidates` without the `excluded` nodes, or (no candidates) from the
            model's tree rejecting `excluded` nodes, giving up (0) after ATTEMPTS draws.
    """
    if len(candidates) > 0:
        remaining: DynArray[uint256, MAX_CANDIDATES] = []
        for node: uint256 in candidates:
            if node not in excluded:
                remaining.append(node)
        return self.draw_among(model, remaining, convert(keccak256(abi_encode(seed, empty(uint256))), uint256))
    for i: uint256 in range(ATTEMPTS):
        s: uint256 = convert(keccak256(abi_encode(seed, i)), uint256)
        node: uint256 = self.draw(model, s)
        if node == 0:
            return 0
        if node not in excluded:
            return node
    return 0
