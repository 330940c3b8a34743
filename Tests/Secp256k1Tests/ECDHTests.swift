import Testing
import Secp256k1

@Suite struct ECDHTests {
    @Test func bothSidesDeriveTheSameSecret() throws {
        for _ in 0..<20 {
            let alice = PrivateKey()
            let bob = PrivateKey()
            let fromAlice = try alice.sharedSecret(with: bob.publicKey)
            #expect(fromAlice == (try bob.sharedSecret(with: alice.publicKey)))
            #expect(fromAlice.count == 32)
        }
    }

    /// With scalar 1 the shared point is the peer's own public key, so the secret is its x coordinate.
    @Test func secretIsTheXCoordinateOfTheSharedPoint() throws {
        let one = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let peer = PrivateKey().publicKey
        #expect(try one.sharedSecret(with: peer) == Array(peer.uncompressed[1...32]))
    }
}
