import Ethereum

/// What one duty scan or keeper pass found and did, for metrics and logs; added up since the start, what
/// `/v1/status` shows.
package struct DutyReport: Sendable, Codable, Equatable {
    package var verificationsAssigned = 0
    package var juryDraws = 0
    package var challengesStarted = 0
    /// Disputes this node took part in that ended, by whether its commitment won.
    package var disputesWon = 0
    package var disputesLost = 0
    package var slashedWei = UInt256.zero
    /// Credits to the operator by the ledger's reason: fee, verifier_fee, refund, slash_share, bond_return, stake_return.
    package var creditedWei: [String: UInt256] = [:]
    /// Keeper transactions sent, by action (settle, drawJurors, replaceAbsentJurors, resolve, deliverCorrected, reportSilence, withdraw).
    package var actions: [String: Int] = [:]
    /// What the core owes the operator now, when the pass read it.
    package var pendingCreditsWei: UInt256?
    /// Duty jobs that failed so far (a verification or vote that missed its window), when the pass counted them.
    package var failedDuties: Int?
    package var lastProblem: String?

    package init() {}

    /// Counts `amount` credited to the operator for the ledger's reason `code`.
    package mutating func credit(_ amount: UInt256, reasonCode code: UInt64) {
        let reason = Self.creditReason(code)
        creditedWei[reason] = (creditedWei[reason] ?? .zero).saturatingAdding(amount)
    }

    /// Counts `amount` slashed from this node's stake.
    package mutating func slashed(_ amount: UInt256) {
        slashedWei = slashedWei.saturatingAdding(amount)
    }

    /// The ledger's `Credited.reason` codes by name.
    package static func creditReason(_ code: UInt64) -> String {
        switch code {
        case 1: "fee"
        case 2: "verifier_fee"
        case 3: "refund"
        case 4: "slash_share"
        case 5: "bond_return"
        case 6: "stake_return"
        default: "reason_\(code)"
        }
    }

    /// Adds `report` to these totals (the pending credits and the problem are the latest known).
    package mutating func add(_ report: DutyReport) {
        verificationsAssigned += report.verificationsAssigned
        juryDraws += report.juryDraws
        challengesStarted += report.challengesStarted
        disputesWon += report.disputesWon
        disputesLost += report.disputesLost
        slashedWei = slashedWei.saturatingAdding(report.slashedWei)
        for (reason, amount) in report.creditedWei { creditedWei[reason] = (creditedWei[reason] ?? .zero).saturatingAdding(amount) }
        for (action, count) in report.actions { actions[action, default: 0] += count }
        if let pending = report.pendingCreditsWei { pendingCreditsWei = pending }
        if let failed = report.failedDuties { failedDuties = failed }
        if let problem = report.lastProblem { lastProblem = problem }
    }

    package var isEmpty: Bool {
        verificationsAssigned + juryDraws + challengesStarted + disputesWon + disputesLost + actions.values.reduce(0, +) == 0
            && slashedWei == .zero && creditedWei.isEmpty
    }
}

extension DutyReport {
    enum CodingKeys: String, CodingKey {
        case verificationsAssigned, juryDraws, challengesStarted, disputesWon, disputesLost, slashedWei, creditedWei, actions,
            pendingCreditsWei, failedDuties, lastProblem
    }

    /// Wei as decimal strings (what people and JSON tools read), not the JSON-RPC hex quantities.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verificationsAssigned, forKey: .verificationsAssigned)
        try container.encode(juryDraws, forKey: .juryDraws)
        try container.encode(challengesStarted, forKey: .challengesStarted)
        try container.encode(disputesWon, forKey: .disputesWon)
        try container.encode(disputesLost, forKey: .disputesLost)
        try container.encode(slashedWei.decimalString, forKey: .slashedWei)
        try container.encode(creditedWei.mapValues(\.decimalString), forKey: .creditedWei)
        try container.encode(actions, forKey: .actions)
        try container.encodeIfPresent(pendingCreditsWei?.decimalString, forKey: .pendingCreditsWei)
        try container.encodeIfPresent(failedDuties, forKey: .failedDuties)
        try container.encodeIfPresent(lastProblem, forKey: .lastProblem)
    }

    /// Reads what ``encode(to:)`` writes (UInt256 also takes decimal strings).
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        verificationsAssigned = try container.decode(Int.self, forKey: .verificationsAssigned)
        juryDraws = try container.decode(Int.self, forKey: .juryDraws)
        challengesStarted = try container.decode(Int.self, forKey: .challengesStarted)
        disputesWon = try container.decode(Int.self, forKey: .disputesWon)
        disputesLost = try container.decode(Int.self, forKey: .disputesLost)
        slashedWei = try container.decode(UInt256.self, forKey: .slashedWei)
        creditedWei = try container.decode([String: UInt256].self, forKey: .creditedWei)
        actions = try container.decode([String: Int].self, forKey: .actions)
        pendingCreditsWei = try container.decodeIfPresent(UInt256.self, forKey: .pendingCreditsWei)
        failedDuties = try container.decodeIfPresent(Int.self, forKey: .failedDuties)
        lastProblem = try container.decodeIfPresent(String.self, forKey: .lastProblem)
    }
}

extension UInt256 {
    /// `self + other`, or the largest value on overflow (a running total of wei never wraps).
    func saturatingAdding(_ other: UInt256) -> UInt256 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
