import Ethereum

/// The header fields of a block that the node relies on, plus its transaction hashes.
public struct BlockHeader: Hashable, Sendable {
    public let number: UInt64
    public let hash: Bytes32
    public let parentHash: Bytes32
    public let timestamp: UInt64
    /// `nil` only for blocks before London (EIP-1559).
    public let baseFeePerGas: UInt256?
    public let gasLimit: UInt64
    public let gasUsed: UInt64
    public let transactionHashes: [Bytes32]
    /// The bloom of every log address and topic in the block; nil if the endpoint left it out.
    public let logsBloom: LogsBloom?

    public init(
        number: UInt64, hash: Bytes32, parentHash: Bytes32, timestamp: UInt64, baseFeePerGas: UInt256?,
        gasLimit: UInt64, gasUsed: UInt64, transactionHashes: [Bytes32], logsBloom: LogsBloom? = nil
    ) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.timestamp = timestamp
        self.baseFeePerGas = baseFeePerGas
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.transactionHashes = transactionHashes
        self.logsBloom = logsBloom
    }
}

extension BlockHeader {
    /// Decodes a block fetched without full transactions (`transactions` is a list of hashes).
    init(reader: JSONFieldReader) throws(InvalidResponse) {
        let gasLimit = try reader.member("gasLimit").uint64()
        let gasUsed = try reader.member("gasUsed").uint64()
        guard gasUsed <= gasLimit else {
            throw .inconsistent(field: reader.path + ".gasUsed", reason: "gas used exceeds the gas limit")
        }
        var hashes: [Bytes32] = []
        for element in try reader.member("transactions").elements() {
            hashes.append(try element.bytes32())
        }
        var bloom: LogsBloom?
        if let field = try reader.optionalMember("logsBloom") {
            let bytes = try field.data()
            guard let decoded = LogsBloom(bytes) else {
                throw .wrongLength(field: field.path, expected: LogsBloom.byteCount, actual: bytes.count)
            }
            bloom = decoded
        }
        self.init(
            number: try reader.member("number").uint64(),
            hash: try reader.member("hash").bytes32(),
            parentHash: try reader.member("parentHash").bytes32(),
            timestamp: try reader.member("timestamp").uint64(),
            baseFeePerGas: try reader.optionalMember("baseFeePerGas")?.quantity(),
            gasLimit: gasLimit, gasUsed: gasUsed, transactionHashes: hashes, logsBloom: bloom)
    }
}
