/// Why the server stopped generating: the only two endings of a complete, non-streamed answer to a
/// request without tools. Anything else (`abort`, `tool_calls`, `content_filter`, `null`) is refused
/// with ``CompletionError/unexpectedFinishReason(_:)``.
package enum FinishReason: String, Sendable, Equatable, CaseIterable {
    /// The model produced an end-of-sequence token or a stop string.
    case stop
    /// The completion reached `max_tokens`.
    case length
}
