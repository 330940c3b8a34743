/// The platform a simulated TDX quote claims: its TCB (as it appears in the PCK certificate and the TD
/// report) and the measured TD. The defaults describe an up-to-date platform.
public struct SimulatedPlatform: Sendable, Equatable {
    public var fmspc: [UInt8] = [0x00, 0x5e, 0xc1, 0x00, 0x00, 0x00]
    public var pceID: [UInt8] = [0x00, 0x00]
    public var sgxTCBComponents: [UInt8] = [2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]
    public var pceSVN: UInt16 = 11
    /// TEE_TCB_SVN: TDX module SVN, module major version, then the TDX TCB components.
    public var teeTCBSVN: [UInt8] = [5, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    public var qeSVN: UInt16 = 4
    /// The measured TD: MRTD and RTMR0..3 (48 bytes each).
    public var mrTD: [UInt8] = [UInt8](repeating: 0x11, count: 48)
    public var rtmrs: [[UInt8]] = [0x21, 0x22, 0x23, 0x00].map { [UInt8](repeating: $0, count: 48) }

    public init() {}

    /// The Quoting Enclave identity the simulation uses (MRSIGNER, ISVPRODID 2 as Intel's TD QE).
    static let qeMRSigner = [UInt8](repeating: 0x5e, count: 32)
    static let qeISVProdID: UInt16 = 2
    /// TD QE ATTRIBUTES; matches the QE identity's attributes under its mask.
    static let qeAttributes: [UInt8] = [0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0]
    /// TD ATTRIBUTES with SEPT_VE_DISABLE set and DEBUG clear, as a production TD.
    static let tdAttributes: [UInt8] = [0, 0, 0, 0x10, 0, 0, 0, 0]
    static let xfam: [UInt8] = [0xe7, 0x02, 0x06, 0, 0, 0, 0, 0]
}
