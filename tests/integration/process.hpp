#pragma once
// Running the real `ampere` binary from tests: to completion, or in the background (a server).

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace ampere::testing {

/// What a finished process printed and how it ended.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `args` (args[0] is the program) with extra environment variables, in `cwd` if given; waits.
ProcessResult run_process(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                          const std::string& cwd = "");

/// A process running in the background; killed (SIGKILL) on destruction if still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  /// Reads stdout until a line starting with `prefix` appears; returns the rest of that line, or ""
  /// on timeout or exit.
  std::string wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);
  /// Sends `signal` and waits for the exit; returns the exit code (128+signal if killed by it).
  int stop(int signal);
  [[nodiscard]] pid_t pid() const { return pid_; }
  /// Everything read from stdout so far.
  [[nodiscard]] const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string output_;
  size_t scanned_ = 0;
};

}  // namespace ampere::testing
