"""Inputs for the inference fixtures: tokenizer strings, embedding sentences, classification examples.

Everything is deterministic (fixed seeds), so regenerating the fixtures gives the same files.
"""

from __future__ import annotations

import random

HANDWRITTEN = [
    "Hello, world!",
    "HELLO WORLD",
    "héllo wörld, ça va? Ñandú, Øresund, Łódź, Ærøskøbing.",
    "İstanbul ΣΑΣ ǅemal ﬁnance Ⅻ ᾞ",
    "naïve café résumé coöperate façade jalapeño",
    "Crème brûlée à la française",
    "北京欢迎你！今天天气很好。",
    "東京都渋谷区 で ラーメン を 食べた",
    "한국어 텍스트도 토큰화됩니다",
    "Привет, мир! Как дела?",
    "Γειά σου Κόσμε",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "emoji 😀😃😄 and 👍🏽 and 👨‍👩‍👧‍👦 family",
    "flags 🇫🇷🇩🇪 and hearts ❤️💙",
    "!!!???...,,,;;;:::---___***",
    "a--b__c..d!!e",
    "(parentheses) [brackets] {braces} <angles>",
    "$100 + 20% = ~120 ^ 2 | `code` @user #tag",
    "“Smart quotes” and ‘single’ — em dash – en dash … ellipsis",
    "tab\tseparated\tvalues\nnew line\r\ncarriage",
    "zero\u200bwidth\u200cjoiner\u200dtest",
    "control\x00chars\x01\x02\x7f here",
    "replacement \ufffd char",
    "private \ue000\uf8ff use",
    "non\u00a0breaking\u2003em\u3000ideographic spaces",
    "combining e\u0301 a\u0300 o\u0308 n\u0303",
    "precomposed é à ö ñ vs decomposed e\u0301 a\u0300 o\u0308 n\u0303",
    "unassigned \u0378 and \U000e0001 tag",
    "https://example.com/path?query=value&other=1#fragment",
    "user@example.com sent 3.14159 to +1-555-0100",
    "The year 2024 had 366 days; 1,000,000 is a million.",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "word" * 30,
    "",
    " ",
    "   leading and trailing spaces   ",
    "a",
    "I",
    "[CLS] [SEP] [MASK] [PAD] [UNK]",
    "##suffix ##",
    "Don't won't can't shouldn't y'all",
    "C++ C# .NET Node.js",
    "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ １２３",
    "ℌ𝔢𝔩𝔩𝔬 𝓌𝑜𝓇𝓁𝒹 𝟙𝟚𝟛",
    "Ⓐⓑⓒ ① ② ③ ¼ ½ ¾ ² ³",
    "ß ẞ ŉ ǰ ΐ",
    "Ǆ ǅ ǆ Ǉ ǈ ǉ",
    "𠀀𠀁 𪜀 丽 𝐀",
    "mixed日本語English混合text",
    "ελληνικά και English μαζί",
    "\u3400\u4dbf\u4e00\u9fff\uf900\ufaff\U00020000\U0002a6df\U0002a700\U0002b740\U0002b920\U0002f800",
    "a\U0002b81fb a\U0002b820b a\U0002b91fb a\U0002b920b a\U0002ceafb a\U0002ceb0b a\u33ffb a\u3400b",
    "\u2e80\u2f00\u3000\u3001\u3002\u30fb",
    "tiếng Việt có dấu",
    "Ελληνικά: ά έ ή ί ό ύ ώ ϊ ϋ",
    "The quick brown fox jumps over the lazy dog.",
    "Pack my box with five dozen liquor jugs!",
    "It's 5 o'clock somewhere...",
    "¡¿Qué?! «Guillemets» „Anführungszeichen“",
    "§ ¶ † ‡ • ° ± × ÷ ¬ ¦",
    "∑ ∏ ∫ √ ∞ ≈ ≠ ≤ ≥ ∈ ∉",
    "←↑→↓ ⇐⇒ ⌘ ⌥ ⏎",
    "♠♣♥♦ ♪♫ ☀☁☂ ☃",
    "Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ",
]

# Code point ranges sampled for random strings: letters, marks, scripts, symbols, controls,
# spaces, CJK (inside and outside the BERT CJK blocks), emoji, private use, unassigned.
RANGES = [
    (0x20, 0x7E), (0x20, 0x7E), (0x20, 0x7E), (0x20, 0x7E),
    (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0xFF), (0x100, 0x24F), (0x250, 0x2FF), (0x300, 0x36F),
    (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F),
    (0x1100, 0x11FF), (0x1AB0, 0x1AFF), (0x1E00, 0x1EFF), (0x1F00, 0x1FFF), (0x2000, 0x206F),
    (0x2070, 0x218F), (0x2190, 0x23FF), (0x2460, 0x24FF), (0x2500, 0x27BF), (0x2E80, 0x2FDF),
    (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xF8FF),
    (0xF900, 0xFAFF), (0xFB00, 0xFB4F), (0xFE00, 0xFE6F), (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF),
    (0x10000, 0x1007F), (0x1D400, 0x1D7FF), (0x1F300, 0x1F6FF), (0x1F900, 0x1FAFF),
    (0x20000, 0x2A6DF), (0x2A700, 0x2CEAF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F),
    (0xE0000, 0xE007F), (0xF0000, 0xF00FF), (0x10FF00, 0x10FFFF),
]
PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡§«¶·»¿‐–—‘’“”…‹›⁅⁆、。「」『』！？")
WHITESPACE = [" ", " ", " ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\u2028", "\u0085", "\u200b"]


def _random_char(rng: random.Random) -> str:
    low, high = rng.choice(RANGES)
    while True:
        code = rng.randint(low, high)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def _random_string(rng: random.Random, vocab_words: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 25)):
        kind = rng.random()
        if kind < 0.45:
            word = rng.choice(vocab_words)
            parts.append(word.upper() if rng.random() < 0.15 else word.capitalize() if rng.random() < 0.2 else word)
        elif kind < 0.7:
            parts.append("".join(_random_char(rng) for _ in range(rng.randint(1, 6))))
        elif kind < 0.85:
            parts.append("".join(rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 5))))
        else:
            parts.append(rng.choice(WHITESPACE) * rng.randint(1, 3))
        if rng.random() < 0.7:
            parts.append(rng.choice(WHITESPACE))
    return "".join(parts)


def tokenizer_strings(vocab_words: list[str], count: int = 1200) -> list[str]:
    """Handwritten edge cases, long texts that hit truncation, then seeded random strings."""
    rng = random.Random(20261127)
    strings = list(HANDWRITTEN)
    long_text = " ".join(rng.choice(vocab_words) for _ in range(700))
    strings += [long_text, "é" * 300, "中" * 300, ("naïve, " * 200), ("😀 " * 300)]
    while len(strings) < count:
        strings.append(_random_string(rng, vocab_words))
    return strings


SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.",
    "A monkey is playing drums.",
    "Someone in a gorilla costume is playing a set of drums.",
    "The new movie is awesome.",
    "The cat sits outside.",
    "I love pasta.",
    "Do you like pizza?",
    "The new movie is so great.",
    "The cat plays in the garden.",
    "A woman watches TV.",
    "Quantum chromodynamics describes the strong interaction between quarks and gluons.",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "Smart contracts on Ethereum are executed by every node of the network.",
    "Confidential computing protects data in use with hardware-based trusted execution environments.",
    "She sells seashells by the seashore.",
    "The mitochondria is the powerhouse of the cell.",
    "Water boils at 100 degrees Celsius at sea level.",
    "Paris is the capital of France.",
    "Berlin ist die Hauptstadt von Deutschland.",
    "Le chat est sur la table.",
    "¿Dónde está la biblioteca?",
    "北京是中国的首都。",
    "東京は日本の首都です。",
    "Москва — столица России.",
    "I can't believe it's not butter!!!",
    "What time is it???",
    "lol 😂😂 that was hilarious",
    "Stock prices fell sharply after the earnings report.",
    "The patient was prescribed antibiotics for the infection.",
    "Our team won the championship in overtime.",
    "It is raining heavily and the streets are flooded.",
    "Please reset my password, I cannot log in.",
    "The recipe calls for two cups of flour and one egg.",
    "He plays guitar in a jazz band every Friday night.",
    "The spacecraft entered orbit around Mars.",
    "Elections will be held next November.",
    "a",
    "?",
    "OK",
    "naïve café résumé",
    "The the the the the the the the the the",
    "Email me at someone@example.com or call 555-0100.",
    "Version 2.0.1 fixes bug #4521 in the parser.",
    "To be, or not to be, that is the question.",
    "All happy families are alike; each unhappy family is unhappy in its own way.",
    "The committee postponed the vote until further notice.",
    "Photosynthesis converts light energy into chemical energy.",
    "He scored a hat-trick in the final match of the season.",
    "Inflation erodes the purchasing power of money over time.",
    " ".join(["Long documents are truncated at two hundred and fifty six word pieces."] * 30),
    "Transformers use self-attention to weigh the importance of each token in the input sequence.",
    "My flight was delayed by three hours due to a storm.",
    "The museum exhibits paintings from the Renaissance period.",
    "Vegetables such as broccoli and spinach are rich in vitamins.",
]

SIMILARITY_PAIRS = [
    ("A man is eating food.", "A man is eating a piece of bread."),
    ("A man is eating food.", "The girl is carrying a baby."),
    ("The new movie is awesome.", "The new movie is so great."),
    ("The cat sits outside.", "The cat plays in the garden."),
    ("I love pasta.", "Do you like pizza?"),
    ("Paris is the capital of France.", "Le chat est sur la table."),
    ("Stock prices fell sharply.", "The market dropped after the report."),
    ("It is raining.", "The weather is wet and stormy."),
    ("Please reset my password.", "I cannot log in to my account."),
    ("A monkey is playing drums.", "Someone in a gorilla costume is playing a set of drums."),
    ("hello", "hello"),
    ("北京是中国的首都。", "東京は日本の首都です。"),
]

TOPICS = ["sports", "politics", "technology", "food", "weather", "finance", "health", "music"]
SENTIMENT = ["positive", "negative"]
INTENTS = ["billing question", "password reset", "shipping status", "cancel subscription"]

CLASSIFICATION = [
    ("The striker scored twice in the second half.", TOPICS, "sports"),
    ("The team signed a new goalkeeper before the transfer deadline.", TOPICS, "sports"),
    ("She won the marathon in record time.", TOPICS, "sports"),
    ("The tennis final went to five sets.", TOPICS, "sports"),
    ("Basketball playoffs start next week.", TOPICS, "sports"),
    ("Parliament passed the new budget bill.", TOPICS, "politics"),
    ("The senator announced her campaign for president.", TOPICS, "politics"),
    ("Voters head to the polls in the general election.", TOPICS, "politics"),
    ("The prime minister met foreign leaders at the summit.", TOPICS, "politics"),
    ("The new smartphone has a faster processor and better camera.", TOPICS, "technology"),
    ("Engineers released a software update that fixes security bugs.", TOPICS, "technology"),
    ("The startup built an AI chip for data centers.", TOPICS, "technology"),
    ("Cloud computing lets companies rent servers on demand.", TOPICS, "technology"),
    ("Add garlic and olive oil to the pasta sauce.", TOPICS, "food"),
    ("This restaurant serves the best sushi in town.", TOPICS, "food"),
    ("Bake the bread for forty minutes until golden.", TOPICS, "food"),
    ("I had pancakes with maple syrup for breakfast.", TOPICS, "food"),
    ("Heavy rain and strong winds are expected tomorrow.", TOPICS, "weather"),
    ("A heat wave will push temperatures above 40 degrees.", TOPICS, "weather"),
    ("Snow is forecast for the mountains this weekend.", TOPICS, "weather"),
    ("The hurricane is moving toward the coast.", TOPICS, "weather"),
    ("The stock market closed higher after strong earnings.", TOPICS, "finance"),
    ("The bank raised its interest rates again.", TOPICS, "finance"),
    ("Investors moved money into government bonds.", TOPICS, "finance"),
    ("The company reported quarterly revenue of two billion dollars.", TOPICS, "finance"),
    ("Regular exercise lowers the risk of heart disease.", TOPICS, "health"),
    ("The doctor recommended more sleep and less sugar.", TOPICS, "health"),
    ("A new vaccine reduces hospital admissions.", TOPICS, "health"),
    ("Drinking enough water keeps you hydrated.", TOPICS, "health"),
    ("The orchestra performed Beethoven's ninth symphony.", TOPICS, "music"),
    ("Her new album tops the charts.", TOPICS, "music"),
    ("He practices the piano for two hours every day.", TOPICS, "music"),
    ("The band announced a world tour with twenty concerts.", TOPICS, "music"),
    ("I absolutely love this product, it works perfectly!", SENTIMENT, "positive"),
    ("What a wonderful day, everything went great.", SENTIMENT, "positive"),
    ("The service was excellent and the staff were friendly.", SENTIMENT, "positive"),
    ("Best purchase I have made this year.", SENTIMENT, "positive"),
    ("I am so happy with the results.", SENTIMENT, "positive"),
    ("This is the worst experience I have ever had.", SENTIMENT, "negative"),
    ("The food was cold and the waiter was rude.", SENTIMENT, "negative"),
    ("It broke after one day, terrible quality.", SENTIMENT, "negative"),
    ("I hate waiting in long lines.", SENTIMENT, "negative"),
    ("Very disappointing, I want my money back.", SENTIMENT, "negative"),
    ("Why was my credit card charged twice this month?", INTENTS, "billing question"),
    ("I need an invoice for my last payment.", INTENTS, "billing question"),
    ("I forgot my password and cannot sign in.", INTENTS, "password reset"),
    ("How do I change my login password?", INTENTS, "password reset"),
    ("Where is my package? It has not arrived yet.", INTENTS, "shipping status"),
    ("When will my order be delivered?", INTENTS, "shipping status"),
    ("Please cancel my subscription at the end of the month.", INTENTS, "cancel subscription"),
    ("I want to stop my membership and not be billed again.", INTENTS, "cancel subscription"),
    ("Le match de football était incroyable.", TOPICS, "sports"),
    ("The violinist tuned her instrument before the concert.", TOPICS, "music"),
    ("Cryptocurrency prices swung wildly this week.", TOPICS, "finance"),
    ("A cold front brings freezing temperatures overnight.", TOPICS, "weather"),
]
