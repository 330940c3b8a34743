/// Intel's TCB status of a platform (or of a QE or TDX module TCB level), as named in the collateral.
public enum TCBStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case upToDate = "UpToDate"
    case swHardeningNeeded = "SWHardeningNeeded"
    case configurationNeeded = "ConfigurationNeeded"
    case configurationAndSWHardeningNeeded = "ConfigurationAndSWHardeningNeeded"
    case outOfDate = "OutOfDate"
    case outOfDateConfigurationNeeded = "OutOfDateConfigurationNeeded"
    case revoked = "Revoked"

    /// Folds the status of a component the platform depends on (the QE, or the TDX module) into the
    /// platform status, as Intel's QVL does: an out-of-date component makes an up-to-date platform out of
    /// date, a revoked one revokes it, an up-to-date one changes nothing.
    func converged(withComponent component: TCBStatus) -> TCBStatus {
        switch component {
        case .outOfDate, .outOfDateConfigurationNeeded:
            switch self {
            case .upToDate, .swHardeningNeeded: return .outOfDate
            case .configurationNeeded, .configurationAndSWHardeningNeeded: return .outOfDateConfigurationNeeded
            default: return self
            }
        case .revoked:
            return .revoked
        default:
            return self
        }
    }
}
