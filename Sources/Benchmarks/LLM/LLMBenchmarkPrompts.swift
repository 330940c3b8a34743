/// The user messages `cloister bench llm` sends through the chat template: two short requests (46 chat
/// tokens each) and a long one (204), each asking for an answer longer than 64 tokens so that
/// greedy decoding runs the full generation length without meeting an end of turn.
package enum LLMBenchmarkPrompts {
    package static let messages = [
        "Write a short story about a lighthouse keeper who finds a message in a bottle.",
        "Explain how a bill becomes a law in the United States, step by step.",
        """
        Here are my notes from this week's team meeting. We discussed the delayed release of the mobile app, which \
        was pushed back by two weeks because the payment provider changed its API without notice. Maria will rewrite \
        the checkout module and expects to finish by Friday. Tom raised concerns about test coverage, which is \
        currently at 61 percent, and proposed a rule that no pull request may lower it. The marketing team wants \
        screenshots of the new design by Monday, and the support team reported a rise in complaints about slow login \
        times, mostly from users on older Android phones. We agreed to hold a short call on Wednesday to review \
        progress. The office will be closed on Thursday afternoon for the fire safety inspection, so the Wednesday \
        call is the last chance to raise blockers this week. Please turn these notes into a clear summary with a \
        list of action items, owners and deadlines.
        """
    ]
}
