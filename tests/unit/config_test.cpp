#include <sys/stat.h>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/config_template.hpp"
#include "support/temp_dir.hpp"

namespace ampere {
namespace {

using testing::TempDir;

// Loads `toml` from a file in a temp dir with the given environment and flags.
Expected<LoadedConfig> load(const TempDir& dir, std::string_view toml, std::map<std::string, std::string> env = {},
                            std::vector<ConfigInputs::Flag> flags = {}) {
  ConfigInputs inputs;
  inputs.file = dir.write("ampere.toml", toml);
  inputs.env = std::move(env);
  inputs.flags = std::move(flags);
  return load_config(inputs);
}

const ConfigSetting& setting(const LoadedConfig& c, std::string_view name) {
  for (const auto& s : c.settings) {
    if (s.key->name == name) return s;
  }
  throw std::runtime_error("no setting " + std::string(name));
}

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  TempDir dir;
  auto c = load(dir, "");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->config.orgs.empty());
  EXPECT_EQ(c->config.server_port, 8080);
  EXPECT_EQ(c->config.server_bind, "127.0.0.1");
  EXPECT_EQ(c->config.pypi_source, "auto");
  EXPECT_EQ(c->config.data_dir, "data");
  EXPECT_EQ(c->config.github_schedule.expression(), "0 0,6,12,18 * * *");
  EXPECT_EQ(c->config.pypi_schedule.expression(), "0 10 * * *");
  EXPECT_TRUE(c->config.github_token.empty());
  EXPECT_EQ(c->token_origin, "not set");
  EXPECT_EQ(setting(*c, "server.port").origin.detail, "default");
}

TEST(Config, FileValuesCarryFileAndLine) {
  TempDir dir;
  auto c = load(dir,
                "data_dir = \"store\"\n"
                "[github]\n"
                "orgs = [\"mrpowers-io\", \"delta-io\"]\n"
                "[pypi]\n"
                "packages = [\"quinn\"]\n"
                "dependencies = [\"pyspark\", \"deltalake\"]\n"
                "source = \"clickpy\"\n"
                "[server]\n"
                "port = 9000\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->config.orgs, (std::vector<std::string>{"mrpowers-io", "delta-io"}));
  EXPECT_EQ(c->config.pypi_packages, (std::vector<std::string>{"quinn"}));
  EXPECT_EQ(c->config.pypi_dependencies, (std::vector<std::string>{"pyspark", "deltalake"}));
  EXPECT_EQ(c->config.pypi_source, "clickpy");
  EXPECT_EQ(c->config.server_port, 9000);
  // A relative path in the file is relative to the file's folder, not to the working directory.
  EXPECT_EQ(c->config.data_dir, dir.path() / "store");
  const std::string file = (dir.path() / "ampere.toml").string();
  EXPECT_EQ(setting(*c, "github.orgs").origin.detail, file + ":3");
  EXPECT_EQ(setting(*c, "server.port").origin.detail, file + ":9");
  EXPECT_EQ(setting(*c, "server.bind").origin.detail, "default");
}

TEST(Config, PrecedenceIsDefaultsThenFileThenEnvThenFlags) {
  TempDir dir;
  const std::string toml = "[server]\nport = 9000\nbind = \"0.0.0.0\"\n[github]\norgs = [\"from-file\"]\n";
  auto file_only = load(dir, toml);
  ASSERT_TRUE(file_only);
  EXPECT_EQ(file_only->config.server_port, 9000);

  auto with_env = load(dir, toml, {{"AMPERE_PORT", "9100"}, {"AMPERE_ORGS", "a-org, b-org"}});
  ASSERT_TRUE(with_env) << with_env.error().message;
  EXPECT_EQ(with_env->config.server_port, 9100);
  EXPECT_EQ(with_env->config.orgs, (std::vector<std::string>{"a-org", "b-org"}));
  EXPECT_EQ(with_env->config.server_bind, "0.0.0.0");
  EXPECT_EQ(setting(*with_env, "server.port").origin.detail, "env AMPERE_PORT");

  auto with_flag = load(dir, toml, {{"AMPERE_PORT", "9100"}}, {{"server.port", "9200", "--port"}});
  ASSERT_TRUE(with_flag) << with_flag.error().message;
  EXPECT_EQ(with_flag->config.server_port, 9200);
  EXPECT_EQ(setting(*with_flag, "server.port").origin.detail, "flag --port");
}

TEST(Config, SyntaxErrorNamesFileLineAndColumn) {
  TempDir dir;
  auto c = load(dir, "[server]\nport = = 3\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(c.error().message.find("ampere.toml:2:"), std::string::npos) << c.error().message;
}

TEST(Config, UnknownKeySuggestsTheNearestKnownOne) {
  TempDir dir;
  auto c = load(dir, "[server]\nprot = 3000\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("ampere.toml:2: unknown key 'server.prot' (did you mean 'server.port'?)"),
            std::string::npos)
      << c.error().message;
  EXPECT_NE(c.error().message.find("known keys: data_dir, github.orgs"), std::string::npos);
}

TEST(Config, WrongTypeNamesKeyLineAndAcceptedValues) {
  TempDir dir;
  auto c = load(dir, "\n[server]\nport = \"eighty\"\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("ampere.toml:3: server.port is not a whole number; accepted: a whole number from "
                                   "0 to 65535"),
            std::string::npos)
      << c.error().message;
}

TEST(Config, OutOfRangeInteger) {
  TempDir dir;
  auto c = load(dir, "[server]\nport = 70000\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("server.port is 70000, out of range"), std::string::npos) << c.error().message;
}

TEST(Config, ChoiceOutsideAcceptedValuesListsThem) {
  TempDir dir;
  auto c = load(dir, "[pypi]\nsource = \"bigqeury\"\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("pypi.source is 'bigqeury' (did you mean 'bigquery'?); accepted: one of auto, "
                                   "bigquery, clickpy"),
            std::string::npos)
      << c.error().message;
}

TEST(Config, ListMustHoldStrings) {
  TempDir dir;
  auto not_list = load(dir, "[github]\norgs = \"mrpowers-io\"\n");
  ASSERT_FALSE(not_list);
  EXPECT_NE(not_list.error().message.find("github.orgs is not a list"), std::string::npos);
  auto numbers = load(dir, "[github]\norgs = [1, 2]\n");
  ASSERT_FALSE(numbers);
  EXPECT_NE(numbers.error().message.find("has an element that is not a string"), std::string::npos);
}

TEST(Config, InvalidOrgAndPackageNames) {
  TempDir dir;
  auto org = load(dir, "[github]\norgs = [\"bad org!\"]\n");
  ASSERT_FALSE(org);
  EXPECT_NE(org.error().message.find("'bad org!', which is not a GitHub organization"), std::string::npos);
  auto package = load(dir, "[pypi]\npackages = [\"-quinn\"]\n");
  ASSERT_FALSE(package);
  EXPECT_NE(package.error().message.find("'-quinn', which is not a PyPI project name"), std::string::npos);
}

TEST(Config, InvalidCronNamesTheField) {
  TempDir dir;
  auto c = load(dir, "[schedule]\ngithub = \"0 25 * * *\"\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("schedule.github: cron expression '0 25 * * *': the hour field '25' is not "
                                   "valid"),
            std::string::npos)
      << c.error().message;
}

TEST(Config, InvalidEnvironmentValueNamesTheVariable) {
  TempDir dir;
  auto c = load(dir, "", {{"AMPERE_PORT", "http"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("environment variable AMPERE_PORT: server.port is 'http', not a whole number"),
            std::string::npos)
      << c.error().message;
}

TEST(Config, InvalidFlagValueNamesTheFlag) {
  TempDir dir;
  auto c = load(dir, "", {}, {{"server.port", "-1", "--port"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("flag --port: server.port is -1, out of range"), std::string::npos)
      << c.error().message;
}

TEST(Config, TokensAreRefusedInTheFile) {
  TempDir dir;
  auto c = load(dir, "[github]\ntoken = \"ghp_secret123\"\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("tokens are never read from the config file"), std::string::npos);
  EXPECT_EQ(c.error().message.find("ghp_secret123"), std::string::npos) << "the error must not echo the token";
}

TEST(Config, TokenFromEnvironmentWinsOverTokenFile) {
  TempDir dir;
  const auto token_file = dir.write("token", "file-token\n");
  ::chmod(token_file.c_str(), 0600);
  const std::string toml = "[github]\ntoken_file = \"token\"\n";
  auto from_file = load(dir, toml);
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_EQ(from_file->config.github_token.reveal(), "file-token");
  EXPECT_EQ(from_file->token_origin, "file " + token_file.string());
  auto from_env = load(dir, toml, {{"GITHUB_TOKEN", "env-token"}});
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->config.github_token.reveal(), "env-token");
  EXPECT_EQ(from_env->token_origin, "env GITHUB_TOKEN");
  EXPECT_EQ(from_env->config.github_token.describe(), "set (9 characters)");
}

TEST(Config, TokenFileReadableByOthersIsRefused) {
  TempDir dir;
  const auto token_file = dir.write("token", "file-token\n");
  ::chmod(token_file.c_str(), 0644);
  auto c = load(dir, "[github]\ntoken_file = \"token\"\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("can be read by other users (mode 644); run: chmod 600"), std::string::npos)
      << c.error().message;
  EXPECT_EQ(c.error().message.find("file-token"), std::string::npos);
}

TEST(Config, MissingExplicitFileSaysHowToCreateOne) {
  ConfigInputs inputs;
  inputs.file = "/nonexistent/ampere.toml";
  auto c = load_config(inputs);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("ampere init ORG"), std::string::npos) << c.error().message;
}

TEST(ConfigTemplate, IsValidAndRoundTrips) {
  TempDir dir;
  auto c = load(dir, config_template({"mrpowers-io"}, {"quinn", "chispa"}));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->config.orgs, (std::vector<std::string>{"mrpowers-io"}));
  EXPECT_EQ(c->config.pypi_packages, (std::vector<std::string>{"quinn", "chispa"}));
  EXPECT_EQ(c->config.server_port, 8080);
  // Every key appears in the template, with its help as a comment.
  const std::string text = config_template({"x"}, {});
  for (const auto& key : config_keys()) {
    EXPECT_NE(text.find(std::string(key.help)), std::string::npos) << key.name;
  }
}

TEST(ConfigCheck, FlagValue) {
  EXPECT_TRUE(check_flag_value("github.orgs", "mrpowers-io,delta-io", "ORG"));
  auto bad = check_flag_value("github.orgs", "mrpowers--io", "ORG");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("flag ORG: github.orgs has 'mrpowers--io'"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace ampere
