import Testing
@testable import InferenceHTTP

@Suite struct CompletionBackendTests {}
