import Foundation

/// The normalisation applied to completion text before it is encoded and hashed.
///
/// 1. Line breaks: every `\r\n` pair becomes `\n`, then every remaining `\r` becomes `\n`. Line
///    endings are a property of how text was transported or rendered, not of what the model said;
///    servers, templates and proxies differ in them. (Replacing `\r\n` alone would not be idempotent:
///    `\r\r\n` would become `\r\n`.) Other separators (U+0085, U+2028, U+2029) are kept.
/// 2. Unicode NFC. Detokenisers emit the same text as precomposed or decomposed scalars depending on
///    the tokenizer's byte pieces and the server version; NFC makes canonically equivalent texts one
///    byte string. NFC is stable for assigned scalars (Unicode's normalisation stability policy),
///    so nodes on different Swift releases agree unless the text uses scalars one of them does not know.
///
/// Nothing else changes: no trimming, no other whitespace or case folding, no removal of controls.
/// The normalisation is idempotent.
package enum CanonicalText {
    /// `text` with its line breaks made `\n`, then in NFC.
    package static func normalise(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCarriageReturn = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": scalars.append("\n")
            case "\n" where previousWasCarriageReturn: break
            default: scalars.append(scalar)
            }
            previousWasCarriageReturn = scalar == "\r"
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }
}
