import Ethereum

/// An `eth_getLogs` filter.
public struct LogFilter: Hashable, Sendable {
    /// Which blocks to search.
    public enum Range: Hashable, Sendable {
        /// Both ends included.
        case blocks(from: BlockTag, to: BlockTag)
        /// One block, by hash (immune to reorgs between asking and answering).
        case blockHash(Bytes32)
    }

    /// Emitting contracts; empty matches any address.
    public var addresses: [Address]
    /// One entry per topic position: `nil` matches anything, a list matches any of its topics.
    public var topics: [[Bytes32]?]
    public var range: Range

    public init(addresses: [Address] = [], topics: [[Bytes32]?] = [], range: Range) {
        self.addresses = addresses
        self.topics = topics
        self.range = range
    }

    /// Refuses filters no node accepts: more than four topic positions, an empty OR list.
    func validate() throws(ChainClientError) {
        guard topics.count <= 4 else { throw .invalidArgument("a log filter has at most four topic positions") }
        guard !topics.contains(where: { $0?.isEmpty == true }) else {
            throw .invalidArgument("an OR list of topics must not be empty (use nil for a wildcard)")
        }
    }

    var jsonValue: ExactJSON {
        var members: [String: ExactJSON] = [:]
        if !addresses.isEmpty {
            members["address"] = .array(addresses.map { .string(Hex.encode($0.bytes)) })
        }
        if !topics.isEmpty {
            members["topics"] = .array(
                topics.map { alternatives in
                    guard let alternatives else { return .null }
                    return .array(alternatives.map { .string($0.hex) })
                })
        }
        switch range {
        case .blocks(let from, let to):
            members["fromBlock"] = from.jsonValue
            members["toBlock"] = to.jsonValue
        case .blockHash(let hash):
            members["blockHash"] = .string(hash.hex)
        }
        return .object(members)
    }
}

extension LogFilter {
    /// Whether `log` is one this filter can return; a log that is not is a wrong answer.
    func admits(_ log: Log) -> Bool {
        if !addresses.isEmpty && !addresses.contains(log.address) { return false }
        if topics.count > log.topics.count && topics[log.topics.count...].contains(where: { $0 != nil }) {
            return false
        }
        for (position, alternatives) in topics.enumerated() {
            guard let alternatives else { continue }
            guard position < log.topics.count, alternatives.contains(log.topics[position]) else { return false }
        }
        switch range {
        case .blockHash(let hash):
            return log.blockHash == hash
        case .blocks(let from, let to):
            if case .number(let first) = from, log.blockNumber < first { return false }
            if case .number(let last) = to, log.blockNumber > last { return false }
            return true
        }
    }
}
