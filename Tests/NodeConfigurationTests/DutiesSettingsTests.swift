import Testing
@testable import NodeConfiguration

/// `[duties]` defaults to a node that verifies, votes, settles and withdraws above 1 ETH, and challenges nothing.
@Suite struct DutiesSettingsTests {
    @Test func defaultsDoEveryDutyAndNoChallenges() throws {
        let duties = try NodeConfiguration.parse(NodeConfigurationTests.minimal).duties
        #expect(duties.verify && duties.jury && duties.settle)
        #expect(duties.withdrawAboveWei == "1000000000000000000")
        #expect(duties.challengeShareBps == 0 && duties.challengeBudgetWei == "0")
    }

    @Test func readsAChallengePolicyAndNoAutomaticWithdrawal() throws {
        let text = NodeConfigurationTests.minimal
            + "\n[duties]\nchallenge_share_bps = 250\nchallenge_budget_wei = \"300000000000000000\"\nwithdraw_above_wei = \"\"\nsettle = false\n"
        let duties = try NodeConfiguration.parse(text).duties
        #expect(duties.challengeShareBps == 250 && duties.challengeBudgetWei == "300000000000000000")
        #expect(duties.withdrawAboveWei.isEmpty && !duties.settle)
    }

    @Test func refusesAmountsThatAreNotWeiAndSharesOverOneHundredPercent() {
        let cases = [
            ("[duties]\nchallenge_share_bps = 10001\n", "duties.challenge_share_bps"),
            ("[duties]\nchallenge_budget_wei = \"1e18\"\n", "duties.challenge_budget_wei"),
            ("[duties]\nchallenge_budget_wei = \"\"\n", "duties.challenge_budget_wei"),
            ("[duties]\nwithdraw_above_wei = \"-1\"\n", "duties.withdraw_above_wei"),
            ("[duties]\nverify = \"yes\"\n", "duties.verify"),
        ]
        for (section, key) in cases {
            #expect { try NodeConfiguration.parse(NodeConfigurationTests.minimal + "\n" + section) } throws: { error in
                (error as? ConfigurationError)?.key == key
            }
        }
    }
}
