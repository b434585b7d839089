#include "aws/iso8601.h"

#include <gtest/gtest.h>

namespace kinesis_emulator::aws {
namespace {

double parsed(std::string_view text) {
  double seconds = -1;
  EXPECT_TRUE(parse_timestamp_text(text, seconds)) << text;
  return seconds;
}

TEST(Iso8601Test, ZonesFractionsAndEpochText) {
  EXPECT_DOUBLE_EQ(parsed("2016-04-04T19:58:46.480-00:00"), 1459799926.480);
  EXPECT_DOUBLE_EQ(parsed("2016-04-04T19:58:46Z"), 1459799926.0);
  EXPECT_DOUBLE_EQ(parsed("2016-04-04T21:58:46+02:00"), 1459799926.0);
  EXPECT_DOUBLE_EQ(parsed("2016-04-04T19:58:46.5"), 1459799926.5);
  EXPECT_DOUBLE_EQ(parsed("1459799926.480"), 1459799926.480);
  EXPECT_DOUBLE_EQ(parsed("2000-02-29T00:00:00Z"), 951782400.0);
  EXPECT_DOUBLE_EQ(parsed("1970-01-02T00:00:00Z"), 86400.0);
}

TEST(Iso8601Test, NotTimes) {
  for (const char* text :
       {"", "yesterday", "2016-04-04", "2016-13-04T00:00:00Z", "2015-02-29T00:00:00Z",
        "2016-04-04T24:00:00Z", "2016-04-04T19:58:46Q", "1459799926.480abc", "nan", "inf"}) {
    double seconds = 0;
    EXPECT_FALSE(parse_timestamp_text(text, seconds)) << text;
  }
}

}  // namespace
}  // namespace kinesis_emulator::aws
