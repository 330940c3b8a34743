/// A contract event: its topic, and decoding of logs with indexed parameters.
///
/// ```swift
/// let transfer = try ABIEvent(signature: "Transfer(address indexed from, address indexed to, uint256 value)")
/// let values = try transfer.decodeLog(topics: log.topics, data: log.data)
/// ```
public struct ABIEvent: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public let type: ABIType
        public let indexed: Bool

        public init(_ type: ABIType, indexed: Bool = false) {
            self.type = type
            self.indexed = indexed
        }
    }

    public let name: String
    public let parameters: [Parameter]
    /// Anonymous events do not put their signature hash in the first topic.
    public let anonymous: Bool
    /// keccak256(canonical signature): the first topic of every (non-anonymous) log of this event.
    /// Computed once, since every log decoded checks it.
    public let topic: Bytes32

    /// Parses `Name(T1 indexed a, T2 b, …)`; parameter names are optional.
    public init(signature: String, anonymous: Bool = false) throws(ABIError) {
        let (name, parameters) = try ABISignature.parse(signature)
        self.init(
            name: name, parameters: parameters.map { Parameter($0.type, indexed: $0.words.first == "indexed") },
            anonymous: anonymous)
    }

    public init(name: String, parameters: [Parameter], anonymous: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.anonymous = anonymous
        self.topic = Keccak256.hash((name + ABIType.tuple(parameters.map(\.type)).description).utf8)
    }

    /// `Name(T1,T2,…)` with canonical types.
    public var canonicalSignature: String {
        name + ABIType.tuple(parameters.map(\.type)).description
    }

    /// The parameters in declaration order. Indexed parameters come from the topics; an indexed
    /// string, bytes, array or struct is only present as its hash and is returned as `.fixedBytes`
    /// holding that 32-byte topic.
    public func decodeLog(topics: [Bytes32], data: some Collection<UInt8>) throws(ABIError) -> [ABIValue] {
        let indexedCount = parameters.count(where: \.indexed)
        let expectedTopics = indexedCount + (anonymous ? 0 : 1)
        guard topics.count == expectedTopics else { throw .topicCountMismatch(expected: expectedTopics, actual: topics.count) }
        if !anonymous && topics[0] != topic { throw .topicMismatch }
        var indexedTopics = topics.dropFirst(anonymous ? 0 : 1).makeIterator()
        var dataValues = try ABI.decode(parameters.filter { !$0.indexed }.map(\.type), from: data).makeIterator()
        var values: [ABIValue] = []
        for parameter in parameters {
            if parameter.indexed, let word = indexedTopics.next() {
                values.append(try Self.decodeTopic(word, as: parameter.type))
            } else if let value = dataValues.next() {
                values.append(value)
            }
        }
        return values
    }

    /// Elementary values sit in the topic as their ABI word; for strings, bytes, arrays and structs
    /// the topic is the keccak256 of their encoding.
    private static func decodeTopic(_ word: Bytes32, as type: ABIType) throws(ABIError) -> ABIValue {
        switch type {
        case .bytes, .string, .array, .fixedArray, .tuple: .fixedBytes(word.bytes)
        case .uint, .int, .address, .bool, .fixedBytes: try ABI.decode([type], from: word.bytes)[0]
        }
    }
}
