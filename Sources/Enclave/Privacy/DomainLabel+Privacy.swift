extension DomainLabel {
    /// The noise key of one request: `HMAC-SHA256(model key, label ‖ 0x00 ‖ task ‖ 0x00 ‖ request id ‖ input hash)`.
    static let noiseRequest = Array("cloister/v1/dp-noise/request".utf8)
    /// One 32-byte block of a coordinate's noise stream:
    /// `HMAC-SHA256(request noise key, label ‖ uint32be(coordinate) ‖ uint64be(block index))`.
    static let noiseBlock = Array("cloister/v1/dp-noise/block".utf8)
}
