// Folding (NFKC, case, accents, look-alikes, digits of every script) and
// the map back to the original text's code points.
#include <iterator>
#include <string>

#include "gtest/gtest.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/folded_text.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {
namespace {

TEST(Utf8Test, DecodesAndCountsCodePoints) {
  EXPECT_EQ(CountCodePoints("a\u00e9\u20ac\U0001F600"), 4u);
  EXPECT_TRUE(IsValidUtf8("Zażółć gęślą jaźń"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));   // truncated
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));   // U+FFFD itself
}

TEST(Utf8Test, IllFormedBytesBecomeReplacementCharacters) {
  EXPECT_EQ(ToValidUtf8("ok\xFFok\xE2\x82"), "ok\uFFFDok\uFFFD\uFFFD");
  EXPECT_EQ(ToValidUtf8("d\u00e9j\u00e0"), "d\u00e9j\u00e0");
}

TEST(CodePointFoldingTest, FoldsCaseAccentsAndCompatibilityForms) {
  EXPECT_EQ(FoldForMatching("Crédit Agricole"), "credit agricole");
  EXPECT_EQ(FoldForMatching("ZAŻÓŁĆ"), "zazolc");  // ł has no decomposition
  EXPECT_EQ(FoldForMatching("Straße"), "strasse");
  EXPECT_EQ(FoldForMatching("œuvre Æther"), "oeuvre aether");
  EXPECT_EQ(FoldForMatching("ﬁnance"), "finance");       // ligature
  EXPECT_EQ(FoldForMatching("ＣＲＹＰＴＯ"), "crypto");  // full-width
  EXPECT_EQ(FoldForMatching("𝐜𝐫𝐲𝐩𝐭𝐨"), "crypto");        // math bold
  EXPECT_EQ(FoldForMatching("ⓒⓡⓨⓟⓣⓞ"), "crypto");        // circled
  EXPECT_EQ(FoldForMatching("crÿpto"), "crypto");
  EXPECT_EQ(FoldForMatching("e\u0301te\u0301"), "ete");  // combining marks
}

TEST(CodePointFoldingTest, FoldsLatinLookAlikesOfOtherScripts) {
  // Cyrillic с, р, у, о and Greek Τ in place of Latin letters.
  EXPECT_EQ(FoldForMatching("\u0441\u0440\u0443\u0440\u03a4\u043e"), "cpypto");
  EXPECT_EQ(FoldForMatching("\u0441r\u0443pt\u043e"), "crypto");
  EXPECT_EQ(FoldForMatching("PAYP\u0410L"), "paypal");  // Cyrillic А
}

TEST(CodePointFoldingTest, FoldsDigitsOfEveryScriptToAscii) {
  EXPECT_EQ(FoldForMatching("４９７３ ０１２３"), "4973 0123");
  EXPECT_EQ(FoldForMatching("\u0664\u0669\u0667\u0663"), "4973");  // Arabic
  EXPECT_EQ(FoldForMatching("\u096A\u096F"), "49");                // Devanagari
  EXPECT_EQ(FoldForMatching("\U0001D7DC\U0001D7D7"), "49");  // math digits
}

TEST(CodePointFoldingTest, FoldsSpacesDashesQuotesAndInvisibles) {
  EXPECT_EQ(FoldForMatching("1\u00a0234\u202f567"), "1 234 567");
  EXPECT_EQ(FoldForMatching("06\u201312\u201434\u221256"), "06-12-34-56");
  EXPECT_EQ(FoldForMatching("l\u2019agence \u00abok\u00bb"), "l'agence \"ok\"");
  EXPECT_EQ(FoldForMatching("cr\u200bypto"), "crypto");  // zero-width space
  EXPECT_EQ(FoldForMatching("cr\u00adypto"), "crypto");  // soft hyphen
  EXPECT_EQ(FoldForMatching("  a \t\n b  "), "a b");
}

TEST(CodePointFoldingTest, ClassifiesWordCharacters) {
  EXPECT_TRUE(IsWordCodePoint('a'));
  EXPECT_TRUE(IsWordCodePoint('7'));
  EXPECT_TRUE(IsWordCodePoint(0x00E9));  // é
  EXPECT_TRUE(IsWordCodePoint(0x4E2D));  // 中
  EXPECT_TRUE(IsWordCodePoint(0x0301));  // combining acute
  EXPECT_FALSE(IsWordCodePoint(' '));
  EXPECT_FALSE(IsWordCodePoint('-'));
  EXPECT_FALSE(IsWordCodePoint(0x20AC));  // €
  EXPECT_TRUE(IsUppercaseLetter(0x00C9));
  EXPECT_TRUE(IsLowercaseLetter(0x0142));
}

TEST(FoldedTextTest, MapsFoldedBytesBackToOriginalCodePoints) {
  // "Ｃａｒｔｅ ４９７３": 10 code points, each full-width one 3 bytes.
  const std::string original = "Ｃａｒｔｅ ４９７３";
  const FoldedText folded(original);
  EXPECT_EQ(folded.text(), "carte 4973");
  EXPECT_EQ(folded.original_code_points(), 10u);
  const CodePointSpan digits = folded.OriginalSpan(6, 10);
  EXPECT_EQ(digits.begin, 6u);
  EXPECT_EQ(digits.end, 10u);
  EXPECT_EQ(folded.OriginalByteOffset(6), 16u);
  EXPECT_EQ(folded.OriginalByteOffset(10), original.size());
}

TEST(FoldedTextTest, SpansCoverWholeCodePointsAndTrailingMarks) {
  // "ﬁ" folds to two bytes; a span over "f" alone covers the ligature.
  const FoldedText ligature("a\uFB01b");
  EXPECT_EQ(ligature.text(), "afib");
  EXPECT_EQ(ligature.OriginalSpan(1, 2).begin, 1u);
  EXPECT_EQ(ligature.OriginalSpan(1, 2).end, 2u);
  // The combining accent after "e" folds to nothing and goes with it.
  const FoldedText accent("e\u0301x");
  EXPECT_EQ(accent.text(), "ex");
  EXPECT_EQ(accent.OriginalSpan(0, 1).end, 2u);
  // And at the end of the text.
  const FoldedText trailing("ab\u200b");
  EXPECT_EQ(trailing.OriginalSpan(0, 2).end, 3u);
}

TEST(FoldedTextTest, FoldingsLongerThanTheirCodePointsThenAscii) {
  // U+FDFA folds to 18 Arabic letters; an ill-formed byte to U+FFFD (3
  // bytes); then plenty of ASCII after them.
  std::string original;
  for (int i = 0; i < 20; ++i) original += "\uFDFA\xFF";
  const std::string tail(500, 'A');
  original += tail;
  const FoldedText folded(original);
  EXPECT_FALSE(folded.valid_utf8());
  EXPECT_EQ(folded.original_code_points(), 40u + tail.size());
  EXPECT_EQ(folded.text().substr(folded.text().size() - tail.size()),
            std::string(tail.size(), 'a'));
  const size_t end = folded.text().size();
  const CodePointSpan last = folded.OriginalSpan(end - 1, end);
  EXPECT_EQ(last.begin, 40u + tail.size() - 1);
  EXPECT_EQ(folded.OriginalByteOffset(last.begin), original.size() - 1);
}

// Invariants over random mixtures of every kind of character.
TEST(FoldedTextTest, RandomTextsKeepTheMapConsistent) {
  const char32_t kAlphabet[] = {
      'a',    'Z',    '7',     ' ',    '\n',   0x00E9, 0x0301, 0x00DF,
      0xFB03, 0xFF14, 0x0664,  0x0430, 0x200B, 0x00AD, 0x4E2D, 0x1F600,
      0xFDFA, 0x2019, 0x1D400, 0x0142, 0x00A0, 0x2212};
  uint64_t state = 42;
  for (int round = 0; round < 300; ++round) {
    std::string original;
    std::string expected_folding;
    const int length = 1 + static_cast<int>(state % 60);
    for (int i = 0; i < length; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const size_t pick = (state >> 33) % (std::size(kAlphabet) + 1);
      if (pick == std::size(kAlphabet)) {
        original += "\xC3";  // a truncated sequence
        AppendFoldedCodePoint(kReplacementCharacter, &expected_folding);
        original += "(";
        expected_folding += "(";
        continue;
      }
      AppendUtf8(kAlphabet[pick], &original);
      AppendFoldedCodePoint(kAlphabet[pick], &expected_folding);
    }
    const FoldedText folded(original);
    ASSERT_EQ(folded.text(), expected_folding) << round;
    ASSERT_EQ(folded.original_code_points(), CountCodePoints(original));
    size_t previous = 0;
    for (size_t i = 0; i < folded.text().size(); ++i) {
      const size_t source = folded.OriginalCodePoint(i);
      ASSERT_GE(source, previous);
      ASSERT_LT(source, folded.original_code_points());
      previous = source;
      const CodePointSpan span = folded.OriginalSpan(i, i + 1);
      ASSERT_LE(span.begin, span.end);
      ASSERT_LE(span.end, folded.original_code_points());
    }
    for (size_t k = 0; k < folded.original_code_points(); ++k) {
      ASSERT_LT(folded.OriginalByteOffset(k), folded.OriginalByteOffset(k + 1));
    }
    ASSERT_EQ(folded.OriginalByteOffset(folded.original_code_points()),
              original.size());
  }
}

TEST(FoldedTextTest, EmptyText) {
  const FoldedText folded("");
  EXPECT_EQ(folded.text(), "");
  EXPECT_EQ(folded.original_code_points(), 0u);
  EXPECT_EQ(folded.OriginalByteOffset(0), 0u);
}

}  // namespace
}  // namespace agora::moderation::screening
