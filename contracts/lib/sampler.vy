# pragma version 0.4.3
"""
@title Stake-weighted sampling over the nodes that serve a model
@notice Two views of the same slots per model:
        - a Fenwick tree of the live stakes, for assigning requests (a draw reads
          log2(CAPACITY) + 2 storage slots, an update writes log2(CAPACITY) + 1);
        - the draw history (`drawSlots`), for verifiers and jurors: every change made in
          epoch E (EPOCH_BLOCKS blocks) takes effect for draws at epoch E + 1, so the weights
          a verifier or a jury of a block in epoch E is drawn from were fixed before that
          epoch's first block, before anyone could know its block hashes. A slot keeps its
          three latest entries (node, weight, first epoch), enough for any epoch a draw may
          still ask about (the current and the previous one).
        When all CAPACITY slots are taken, a node with more stake than the smallest takes
        that node's slot.
"""

CAPACITY: constant(uint256) = 64
LEVELS: constant(uint256) = 6

tree: HashMap[bytes32, HashMap[uint256, uint256]]
slotNode: HashMap[bytes32, HashMap[uint256, uint256]]
slotWeight: HashMap[bytes32, HashMap[uint256, uint256]]
nodeSlot: HashMap[uint256, HashMap[bytes32, uint256]]
slotsUsed: HashMap[bytes32, uint256]
freeSlots: HashMap[bytes32, DynArray[uint256, CAPACITY]]
drawSlots: HashMap[bytes32, HashMap[uint256, uint256]]

EPOCH_BLOCKS: constant(uint256) = 256
# A draw entry: node (bits 0-23) | weight in WEIGHT_UNIT (bits 24-55) | first epoch (bits 56-79); three per slot word.
ENTRY_BITS: constant(uint256) = 80
ENTRY_MASK: constant(uint256) = (1 << 80) - 1
WEIGHT_UNIT: constant(uint256) = 10**15
MAX_UNITS: constant(uint256) = (1 << 32) - 1
MAX_NODE_ID: constant(uint256) = (1 << 24) - 1

event SlotTaken:
    model: indexed(bytes32)
    node: indexed(uint256)
    evicted: indexed(uint256)


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


def _record(model: bytes32, index: uint256, node: uint256, weight: uint256):
    """@dev Writes (node, weight) into the slot's draw history, effective from the next epoch."""
    units: uint256 = min(weight // WEIGHT_UNIT, MAX_UNITS)
    word: uint256 = self.drawSlots[model][index]
    epoch: uint256 = block.number // EPOCH_BLOCKS + 1
    entry: uint256 = (node if units > 0 else 0) | (units << 24) | (epoch << 56)
    if (word >> 56) & ((1 << 24) - 1) == epoch:
        word = (word >> ENTRY_BITS) << ENTRY_BITS
    else:
        word = (word << ENTRY_BITS) & ((1 << (3 * ENTRY_BITS)) - 1)
    self.drawSlots[model][index] = word | entry


@pure
def entry_at(word: uint256, epoch: uint256) -> (uint256, uint256):
    """@dev The (node, weight units) a slot word holds for draws at `epoch`."""
    for i: uint256 in range(3):
        entry: uint256 = (word >> (i * ENTRY_BITS)) & ENTRY_MASK
        if entry >> 56 <= epoch:
            return entry & MAX_NODE_ID, (entry >> 24) & MAX_UNITS
    return 0, 0


@view
def draw_words(model: bytes32) -> DynArray[uint256, CAPACITY]:
    """@dev Every used slot's draw history (drawNodes reads it; exported as drawWords for independent checks)."""
    words: DynArray[uint256, CAPACITY] = []
    for index: uint256 in range(1, CAPACITY + 1):
        if index > self.slotsUsed[model]:
            break
        words.append(self.drawSlots[model][index])
    return words


def _evict_smallest(model: bytes32, weight: uint256) -> (uint256, uint256):
    """@dev In a full model: empties the slot of the smallest stake if it is below `weight`; returns (slot, evicted node)."""
    smallest: uint256 = 1
    for index: uint256 in range(2, CAPACITY + 1):
        if self.slotWeight[model][index] < self.slotWeight[model][smallest]:
            smallest = index
    old: uint256 = self.slotWeight[model][smallest]
    if old >= weight:
        return 0, 0
    evicted: uint256 = self.slotNode[model][smallest]
    self._lower(model, smallest, old)
    self.slotWeight[model][smallest] = 0
    self.nodeSlot[evicted][model] = 0
    return smallest, evicted


def set_weight(model: bytes32, node: uint256, weight: uint256):
    """
    @dev Adds the node on first use (in a full model only if it outweighs the smallest, whose
         slot it takes; otherwise it stays out); weight 0 removes it and frees its slot.
    """
    index: uint256 = self.nodeSlot[node][model]
    if index == 0:
        if weight == 0:
            return
        evicted: uint256 = 0
        if len(self.freeSlots[model]) == 0 and self.slotsUsed[model] == CAPACITY:
            index, evicted = self._evict_smallest(model, weight)
            if index == 0:
                return
        elif len(self.freeSlots[model]) > 0:
            index = self.freeSlots[model].pop()
        else:
            index = self.slotsUsed[model] + 1
            self.slotsUsed[model] = index
        self.nodeSlot[node][model] = index
        self.slotNode[model][index] = node
        log SlotTaken(model=model, node=node, evicted=evicted)
    old: uint256 = self.slotWeight[model][index]
    if weight == old:
        return  # nothing changes, not even the draw history (a renewal re-applies the same stake)
    if weight > old:
        self._raise(model, index, weight - old)
    elif old > weight:
        self._lower(model, index, old - weight)
    self.slotWeight[model][index] = weight
    self._record(model, index, node, weight)
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


# Verifier and jury draws: the parties excluded, and how many jurors (seats and replacements) at most.
MAX_DRAWN: constant(uint256) = 28
MAX_EXCLUDED: constant(uint256) = 3


@view
def draw_nodes(model: bytes32, block_number: uint256, seed: uint256, candidates: DynArray[uint256, MAX_CANDIDATES], excluded: DynArray[uint256, MAX_EXCLUDED], count: uint256) -> DynArray[uint256, MAX_DRAWN]:
    """
    @dev Up to `count` distinct nodes by stake, without replacement, from the weights in force at
         `block_number`'s epoch, among `candidates` (all nodes if empty) less `excluded`: exact
         exclusion, so every draw finds a node whenever an eligible one exists.
    """
    epoch: uint256 = block_number // EPOCH_BLOCKS
    nodes: DynArray[uint256, 64] = []
    weights: DynArray[uint256, 64] = []
    total: uint256 = 0
    words: DynArray[uint256, CAPACITY] = self.draw_words(model)
    for word: uint256 in words:
        node: uint256 = 0
        units: uint256 = 0
        node, units = self.entry_at(word, epoch)
        if units == 0 or node in excluded:
            continue
        if len(candidates) > 0 and node not in candidates:
            continue
        nodes.append(node)
        weights.append(units)
        total += units
    drawn: DynArray[uint256, MAX_DRAWN] = []
    for k: uint256 in range(MAX_DRAWN):
        if k >= count or total == 0:
            break
        remaining: uint256 = convert(keccak256(abi_encode(seed, k)), uint256) % total
        for i: uint256 in range(64):
            if i >= len(nodes):
                break
            if remaining < weights[i]:
                drawn.append(nodes[i])
                total -= weights[i]
                weights[i] = 0
                break
            remaining -= weights[i]
    return drawn
