import Ethereum
import FuzzSupport

/// Keystore JSON either fails with a typed error or parses to a keystore that survives writing and
/// re-reading; decrypting with a wrong password and tiny KDF limits then fails with a typed error.
runFuzzer { data, size in
    let bytes = fuzzInput(data, size)
    if let keystore = try? Keystore(json: bytes) {
        precondition((try? Keystore(json: keystore.jsonData())) == keystore, "keystore does not survive a round trip")
        let limits = KeystoreLimits(maximumScryptMemory: 1 << 20, maximumScryptWork: 1 << 14, maximumPBKDF2Iterations: 2_000)
        _ = try? keystore.decrypt(password: Array("fuzz".utf8), limits: limits)
    }
    return 0
}
