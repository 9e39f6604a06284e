// Test support: tests/support/smtp_sink.py (a real aiosmtpd server) as a child process on an
// ephemeral loopback port, and what it accepted read back. For app_test only.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

extern char** environ;

namespace tandem::app::test_support {

// A Python that can import aiosmtpd (Debian's python3-aiosmtpd installs it for /usr/bin/python3,
// which need not be the first python3 on PATH); empty if none.
inline const std::string& Python() {
  static const std::string found = [] {
    for (std::string py : {"/usr/bin/python3", "python3"}) {
      if (std::system((py + " -c 'import aiosmtpd' >/dev/null 2>&1").c_str()) == 0) return py;
    }
    return std::string();
  }();
  return found;
}

// tests/support/smtp_sink.py as a child process; stopped with the object.
class SmtpSink {
 public:
  explicit SmtpSink(std::vector<std::string> options = {}) {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::vector<std::string> args = {Python(), TANDEM_SOURCE_DIR "/tests/support/smtp_sink.py",
                                     dir_.string()};
    args.insert(args.end(), options.begin(), options.end());
    Spawn(args);
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

  std::vector<nlohmann::json> Messages() const {
    std::vector<nlohmann::json> out;
    for (int i = 1; std::filesystem::exists(dir_ / (std::to_string(i) + ".json")); ++i) {
      std::ifstream in(dir_ / (std::to_string(i) + ".json"));
      out.push_back(nlohmann::json::parse(in));
    }
    return out;
  }

 private:
  void Spawn(const std::vector<std::string>& args) {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ASSERT_EQ(rc, 0) << "cannot start " << args[1];
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    char c;
    while (::poll(&p, 1, 15000) == 1 && ::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    ASSERT_EQ(line.rfind("port ", 0), 0u) << "smtp_sink.py did not start: " << line;
    port_ = std::stoi(line.substr(5));
  }

  static inline int count_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace tandem::app::test_support
