// Escaping untrusted text per output format.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

TEST(Escape, PrintableKeepsOrEscapesLineBreaks) {
  EXPECT_EQ(printable("a\nb\tc\x01\x7f", LineBreaks::keep), "a\nb\tc\\x01\\x7f");
  EXPECT_EQ(printable("a\nb\tc\x01\x7f", LineBreaks::escape), "a\\nb\\x09c\\x01\\x7f");
}

TEST(Escape, ValidUtf8KeepsCharactersAndReplacesBadBytes) {
  EXPECT_EQ(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(valid_utf8("a\xff" "b"), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(valid_utf8("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");  // truncated
  // Lossless transport of bytes between triage's processes.
  std::string all;
  for (int c = 1; c < 256; ++c) {
    all += static_cast<char>(c);
  }
  EXPECT_EQ(core::bytes_to_utf8("a\xff"), "a\xc3\xbf");
  EXPECT_EQ(valid_utf8(core::bytes_to_utf8(all)), core::bytes_to_utf8(all));
  EXPECT_EQ(core::utf8_to_bytes(core::bytes_to_utf8(all)), all);
}

TEST(Escape, HtmlTextEscapesMarkupAndQuotes) {
  EXPECT_EQ(html_text("<a href=\"x\" onclick='y'>&amp;</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
}

TEST(Escape, MarkdownCellEscapesTableBreakers) {
  EXPECT_EQ(markdown_cell("a|b `c` *d* _e_ [f] <g> & h\ni"),
            "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\] &lt;g&gt; &amp; h\\ni");
}

TEST(Escape, JsonTextNeverThrowsOnInvalidUtf8) {
  EXPECT_EQ(json_text(nlohmann::json{{"m", "x\xff"}}, -1), "{\"m\":\"x\xef\xbf\xbd\"}");
}

}  // namespace
}  // namespace triage::emit
