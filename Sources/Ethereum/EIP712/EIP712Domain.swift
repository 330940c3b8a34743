/// The EIP-712 domain: which application, version, chain and contract a signature is for.
/// Only the members that are set take part, in the order the EIP lists them.
public struct EIP712Domain: Hashable, Sendable {
    public var name: String?
    public var version: String?
    public var chainID: UInt256?
    public var verifyingContract: Address?
    public var salt: Bytes32?

    public init(
        name: String? = nil, version: String? = nil, chainID: UInt256? = nil,
        verifyingContract: Address? = nil, salt: Bytes32? = nil
    ) {
        self.name = name
        self.version = version
        self.chainID = chainID
        self.verifyingContract = verifyingContract
        self.salt = salt
    }

    /// The `EIP712Domain` fields for the members that are set.
    public var fields: [EIP712Field] {
        members.map { EIP712Field(name: $0.name, type: $0.type) }
    }

    /// hashStruct of the domain.
    public var separator: Bytes32 {
        let members = members
        var hasher = Keccak256()
        let encodedType = "EIP712Domain(" + members.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        hasher.update(Keccak256.hash(encodedType.utf8).bytes)
        for member in members { hasher.update(member.word.bytes) }
        return hasher.finalize()
    }

    /// The members that are set: name, type and `encodeData` word.
    private var members: [(name: String, type: String, word: Bytes32)] {
        var result: [(String, String, Bytes32)] = []
        if let name { result.append(("name", "string", Keccak256.hash(name.utf8))) }
        if let version { result.append(("version", "string", Keccak256.hash(version.utf8))) }
        if let chainID { result.append(("chainId", "uint256", chainID.bytes32)) }
        if let verifyingContract {
            result.append(("verifyingContract", "address", UInt256(bigEndian: verifyingContract.bytes).map(\.bytes32) ?? .zero))
        }
        if let salt { result.append(("salt", "bytes32", salt)) }
        return result
    }
}
