// The service-account JWT: ampere signs it (OpenSSL), the stand-in verifies it with independent code.

#include "pypi/bigquery_jwt.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bigquery/bigquery_test_support.hpp"
#include "simulator/bigquery_jwt_verifier.hpp"

namespace ampere::pypi {
namespace {

using std::chrono::seconds;

ServiceAccountKey test_key(const std::string& token_uri = "http://127.0.0.1:1/token") {
  ServiceAccountKey key;
  key.client_email = testing::kTestEmail;
  key.private_key = Secret(testing::test_key_pair().private_key_pem);
  key.private_key_id = "kid-1";
  key.token_uri = token_uri;
  key.project_id = testing::kTestProject;
  return key;
}

simulator::JwtExpectations expectations(const std::string& audience = "http://127.0.0.1:1/token") {
  return {testing::test_key_pair().public_key_pem, testing::kTestEmail, audience, std::string(bigquery_scope)};
}

TEST(BigQueryJwt, Base64UrlMatchesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");  // the URL-safe alphabet, no padding
  EXPECT_EQ(*simulator::base64url_decode("Zm9vYmE"), "fooba");
}

TEST(BigQueryJwt, AssertionHasGooglesHeaderAndClaimsAndVerifies) {
  const Timestamp now = now_utc();
  auto assertion = make_token_assertion(test_key(), now);
  ASSERT_TRUE(assertion) << assertion.error().message;
  const std::string& jwt = assertion->reveal();
  const auto dot1 = jwt.find('.');
  const auto dot2 = jwt.find('.', dot1 + 1);
  const auto header = nlohmann::json::parse(*simulator::base64url_decode(jwt.substr(0, dot1)));
  const auto claims = nlohmann::json::parse(*simulator::base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)));
  EXPECT_EQ(header, nlohmann::json({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-1"}}));
  const int64_t iat = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
  EXPECT_EQ(claims, nlohmann::json({{"iss", testing::kTestEmail},
                                    {"scope", "https://www.googleapis.com/auth/bigquery"},
                                    {"aud", "http://127.0.0.1:1/token"},
                                    {"iat", iat},
                                    {"exp", iat + 3600}}));
  EXPECT_EQ(jwt.substr(dot2 + 1).size(), 342u);  // a 2048-bit RSA signature: 256 bytes in base64url
  EXPECT_TRUE(simulator::verify_assertion(jwt, expectations(), now));
}

TEST(BigQueryJwt, VerifierRejectsTamperingOtherKeysExpiryAndAudience) {
  const Timestamp now = now_utc();
  const std::string jwt = make_token_assertion(test_key(), now)->reveal();

  std::string tampered = jwt;
  tampered[jwt.find('.') + 5] = tampered[jwt.find('.') + 5] == 'A' ? 'B' : 'A';  // a changed claim
  auto rejected = simulator::verify_assertion(tampered, expectations(), now);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().description, "Invalid JWT Signature.");

  auto other = simulator::generate_test_key_pair();
  ASSERT_TRUE(other);
  auto wrong_key = expectations();
  wrong_key.public_key_pem = other->public_key_pem;
  EXPECT_EQ(simulator::verify_assertion(jwt, wrong_key, now).error().description, "Invalid JWT Signature.");

  auto late = simulator::verify_assertion(jwt, expectations(), now + seconds(3601));
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().description.find("short-lived"), std::string::npos);
  auto early = simulator::verify_assertion(jwt, expectations(), now - seconds(120));
  ASSERT_FALSE(early);  // iat in the future beyond the skew allowance

  auto audience = simulator::verify_assertion(jwt, expectations("https://oauth2.googleapis.com/token"), now);
  ASSERT_FALSE(audience);
  EXPECT_NE(audience.error().description.find("audience"), std::string::npos);

  auto issuer = expectations();
  issuer.issuer = "someone-else@example.iam.gserviceaccount.com";
  EXPECT_EQ(simulator::verify_assertion(jwt, issuer, now).error().error, "invalid_client");
}

TEST(BigQueryJwt, LifetimeIsCappedAtAnHour) {
  const Timestamp now = now_utc();
  auto assertion = make_token_assertion(test_key(), now, seconds(7200));
  ASSERT_TRUE(assertion);
  EXPECT_TRUE(simulator::verify_assertion(assertion->reveal(), expectations(), now));
}

TEST(BigQueryJwt, UnusableKeySaysSoWithoutQuotingIt) {
  ServiceAccountKey key = test_key();
  key.private_key = Secret("-----BEGIN PRIVATE KEY-----\nnot-base64-SECRETSECRET\n-----END PRIVATE KEY-----\n");
  auto assertion = make_token_assertion(key, now_utc());
  ASSERT_FALSE(assertion);
  EXPECT_NE(assertion.error().message.find("could not be used to sign"), std::string::npos);
  EXPECT_EQ(assertion.error().message.find("SECRETSECRET"), std::string::npos);
}

}  // namespace
}  // namespace ampere::pypi
