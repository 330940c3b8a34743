/// Character classes of the reference BERT tokenizer (Hugging Face `tokenizers`, `BertNormalizer`
/// and `BertPreTokenizer`), expressed with the Swift standard library's Unicode properties.
///
/// The reference takes general categories from Unicode 8.0 tables (the Rust crate
/// `unicode_categories`), while Swift knows the current version. Category tests therefore only
/// count scalars assigned by Unicode 8.0, and the few scalars whose category changed since then
/// are listed. An exhaustive comparison over every scalar (tests/inference) keeps this honest.
extension Unicode.Scalar {
    /// Assigned in Unicode 8.0 or earlier, so that the reference's tables know the scalar.
    private var isInReferenceTables: Bool {
        guard let age = properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// Nonspacing marks (Mn) as the reference sees them; accent stripping removes these.
    var isBertNonspacingMark: Bool {
        switch value {
        case 0x1734, 0x1171E: return true  // Mn in Unicode 8.0, Mc today
        case 0x1885, 0x1886, 0xA9BD, 0x111C9: return false  // not Mn in Unicode 8.0
        default: return properties.generalCategory == .nonspacingMark && isInReferenceTables
        }
    }

    /// Whitespace: tab, newline and carriage return, plus every scalar with the White_Space property.
    var isBertWhitespace: Bool {
        self == "\t" || self == "\n" || self == "\r" || properties.isWhitespace
    }

    /// Control characters removed by text cleaning: categories Cc, Cf and Co, except the three
    /// whitespace controls (tab, newline, carriage return) which become spaces instead.
    var isBertControl: Bool {
        if self == "\t" || self == "\n" || self == "\r" { return false }
        switch properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return isInReferenceTables
        default: return false
        }
    }

    /// Punctuation split into its own word: every ASCII punctuation character (which includes
    /// symbols such as `$`, `+`, `^`) and every scalar of a Unicode punctuation category.
    var isBertPunctuation: Bool {
        if value == 0x166D || value == 0x111C9 { return true }  // Po in Unicode 8.0, So and Mn today
        if isASCII {
            let value = self.value
            return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return isInReferenceTables
        default:
            return false
        }
    }

    /// CJK ideographs that BERT surrounds with spaces (the CJK Unified Ideographs blocks and
    /// their extensions A to E as the reference writes them, which skips U+2B820...U+2B91F, plus the
    /// compatibility ideographs).
    var isBertCJK: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
