#pragma once
// Starting test subprocesses (the ampere binary, the lake writer tool), killing and waiting for them.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace ampere::lake::testing {

/// How a finished process ended and what it printed.
struct ProcessResult {
  int exit_code = -1;  ///< 128 + signal when killed
  std::string out;
  std::string err;
};

/// Starts `args` with stdout and stderr sent to files (or /dev/null when empty), in `cwd` if given, with
/// the environment minus AMPERE_* variables (so a developer's settings cannot leak into a test).
inline pid_t start_process(const std::vector<std::string>& args, const std::string& out_file = "",
                           const std::string& err_file = "", const std::string& cwd = "") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.empty() ? "/dev/null" : out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.empty() ? "/dev/null" : err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with("AMPERE_")) env_strings.emplace_back(*e);
  }
  std::vector<char*> env;
  for (auto& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<std::string> arg_strings = args;
  std::vector<char*> argv;
  for (auto& a : arg_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

/// Waits for `pid`; returns its exit code, or 128 + signal when a signal ended it.
inline int wait_process(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `args` to completion in `cwd`, capturing its output through files in `scratch`.
inline ProcessResult run_process(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                                 const std::string& cwd = "") {
  const auto out = scratch / "stdout.txt";
  const auto err = scratch / "stderr.txt";
  ProcessResult result;
  const pid_t pid = start_process(args, out.string(), err.string(), cwd);
  if (pid < 0) return result;
  result.exit_code = wait_process(pid);
  result.out = slurp(out);
  result.err = slurp(err);
  return result;
}

}  // namespace ampere::lake::testing
