/// A TCB status with the advisories that explain it.
public struct TCBAssessment: Sendable, Equatable {
    public var status: TCBStatus
    public var advisoryIDs: [String]

    /// Folds a component's assessment into this one (see `TCBStatus.converged(withComponent:)`);
    /// advisories are merged, first occurrence kept.
    func converged(with component: TCBAssessment) -> TCBAssessment {
        var merged = advisoryIDs
        for id in component.advisoryIDs where !merged.contains(id) { merged.append(id) }
        return TCBAssessment(status: status.converged(withComponent: component.status), advisoryIDs: merged)
    }
}

extension [ISVSVNLevel] {
    /// The first (newest) level whose ISV SVN the given SVN reaches, as an assessment.
    func assessment(for svn: UInt16) -> TCBAssessment? {
        first { svn >= $0.tcb.isvsvn }.map { TCBAssessment(status: $0.tcbStatus, advisoryIDs: $0.advisoryIDs ?? []) }
    }
}
