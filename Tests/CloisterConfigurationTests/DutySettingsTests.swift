import Testing
import Ethereum
@testable import CloisterConfiguration

/// `[duties]` defaults to a node that verifies, votes, settles and withdraws above 1 ETH, and challenges nothing.
@Suite struct DutySettingsTests {
    @Test func defaultsDoEveryDutyAndNoChallenges() throws {
        let duties = try NodeConfiguration.parse(NodeConfigurationTests.minimal).duties
        #expect(duties.verify && duties.jury && duties.settle && duties.reportSilence)
        #expect(duties.withdrawAbove == UInt256(1_000_000_000_000_000_000))
        #expect(duties.challengeShareBps == 0 && duties.challengeBudget == .zero)
    }

    @Test func readsAChallengePolicyAndNoAutomaticWithdrawal() throws {
        let text =
            NodeConfigurationTests.minimal
            + "\n[duties]\nchallenge_share_bps = 250\nchallenge_budget_wei = \"300000000000000000\"\nwithdraw_above_wei = \"\"\nsettle = false\nreport_silence = false\n"
        let duties = try NodeConfiguration.parse(text).duties
        #expect(duties.challengeShareBps == 250 && duties.challengeBudget == UInt256(300_000_000_000_000_000))
        #expect(duties.withdrawAbove == nil && !duties.settle && !duties.reportSilence)
    }

    @Test func refusesAmountsThatAreNotWeiAndSharesOverOneHundredPercent() {
        let cases = [
            ("[duties]\nchallenge_share_bps = 10001\n", "duties.challenge_share_bps"),
            ("[duties]\nchallenge_budget_wei = \"1e18\"\n", "duties.challenge_budget_wei"),
            ("[duties]\nchallenge_budget_wei = \"\"\n", "duties.challenge_budget_wei"),
            ("[duties]\nwithdraw_above_wei = \"-1\"\n", "duties.withdraw_above_wei"),
            ("[duties]\nverify = \"yes\"\n", "duties.verify"),
            // 78 digits: more than any uint256 (it used to pass the check and fail at start)
            ("[duties]\nchallenge_budget_wei = \"\(String(repeating: "9", count: 78))\"\n", "duties.challenge_budget_wei"),
            ("[duties]\nreport_silence = 1\n", "duties.report_silence")
        ]
        for (section, key) in cases {
            #expect { try NodeConfiguration.parse(NodeConfigurationTests.minimal + "\n" + section) } throws: { error in
                (error as? ConfigurationError)?.key == key
            }
        }
    }
}
