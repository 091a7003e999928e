// PyPI project names: PEP 508 validity and PEP 503 normalization.
#include <gtest/gtest.h>

#include "pypi/package_name.hpp"

namespace ampere::pypi {
namespace {

TEST(PackageName, NormalizesPerPep503) {
  EXPECT_EQ(*normalize_package_name("Delta_Lake"), "delta-lake");
  EXPECT_EQ(*normalize_package_name("zope.interface"), "zope-interface");
  EXPECT_EQ(*normalize_package_name("a-_.b"), "a-b");
  EXPECT_EQ(*normalize_package_name("PySpark"), "pyspark");
  EXPECT_EQ(*normalize_package_name("x"), "x");
}

TEST(PackageName, RejectsWhatIsNotAName) {
  for (const char* bad : {"", "-quinn", "quinn-", "qu inn", "quinn'", "a;b", "quinn=x", "ü", ".a", "a/b"}) {
    EXPECT_FALSE(is_valid_package_name(bad)) << bad;
    auto n = normalize_package_name(bad);
    ASSERT_FALSE(n) << bad;
    EXPECT_EQ(n.error().kind, ErrorKind::invalid_input);
  }
}

}  // namespace
}  // namespace ampere::pypi
