import Ethereum

/// This build's version, as status shows it and registrations commit to.
package enum Release {
    package static let version = "0.1.0"
    /// The `softwareVersion` a registration binds in REPORTDATA: keccak256("cloister/<version>").
    static var softwareVersion: Bytes32 { Keccak256.hash(Array("cloister/\(version)".utf8)) }
}
