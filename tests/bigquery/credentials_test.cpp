// Service-account key files: what is accepted, and what each bad file is told.

#include "pypi/bigquery_credentials.hpp"

#include <gtest/gtest.h>

#include "bigquery/bigquery_test_support.hpp"

namespace ampere::pypi {
namespace {

std::string message_for(const std::string& content) {
  testing::TempDir dir;
  auto key = load_service_account_key(dir.write("key.json", content));
  EXPECT_FALSE(key);
  return key ? std::string() : key.error().message;
}

TEST(BigQueryCredentials, ReadsAGoogleKeyFile) {
  testing::TempDir dir;
  const auto path =
      dir.write("key.json", simulator::service_account_key_json(testing::test_key_pair(), testing::kTestEmail,
                                                                "my-project", "http://127.0.0.1:9/token"));
  auto key = load_service_account_key(path);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->client_email, testing::kTestEmail);
  EXPECT_EQ(key->project_id, "my-project");
  EXPECT_EQ(key->token_uri, "http://127.0.0.1:9/token");
  EXPECT_EQ(key->private_key_id, "standin-test-key");
  EXPECT_EQ(key->private_key.reveal(), testing::test_key_pair().private_key_pem);
}

TEST(BigQueryCredentials, TokenUriDefaultsToGoogles) {
  auto key = parse_service_account_key(
      R"({"type":"service_account","client_email":"a@b.iam.gserviceaccount.com",
          "private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"})",
      "test");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(key->project_id, "");
}

TEST(BigQueryCredentials, MissingFileNamesThePathAndTheVariable) {
  auto key = load_service_account_key("/nonexistent/ampere/key.json");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().kind, ErrorKind::not_found);
  EXPECT_NE(key.error().message.find("GOOGLE_APPLICATION_CREDENTIALS (/nonexistent/ampere/key.json): no such file"),
            std::string::npos);
}

TEST(BigQueryCredentials, EachBadFileGetsItsOwnMessage) {
  EXPECT_NE(message_for("{not json").find("not a JSON service-account key file"), std::string::npos);
  EXPECT_NE(message_for(R"({"type":"authorized_user","client_id":"x"})").find("not \"service_account\""),
            std::string::npos);
  EXPECT_NE(message_for(R"({"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----"})")
                .find("has no \"client_email\""),
            std::string::npos);
  EXPECT_NE(message_for(R"({"type":"service_account","client_email":"a@b"})").find("has no \"private_key\""),
            std::string::npos);
  const std::string not_pem =
      message_for(R"({"type":"service_account","client_email":"a@b","private_key":"hunter2-SECRET"})");
  EXPECT_NE(not_pem.find("\"private_key\" is not a PEM private key"), std::string::npos);
  EXPECT_EQ(not_pem.find("hunter2-SECRET"), std::string::npos);
}

}  // namespace
}  // namespace ampere::pypi
