// The single-writer lock on a store: a flock on "<store>.lock" beside the SQLite file.
// One process writes a store at a time; the holder writes who it is into the file so others
// can say which server holds it.
#pragma once

#include <string>

#include "base/status.h"

namespace tandem::store {

class StoreLock {
 public:
  // Takes the lock without waiting. kFailedPrecondition names the holder when another
  // process has it. holder is a short description ("server http://127.0.0.1:8080").
  static Result<StoreLock> Acquire(const std::string& db_path, const std::string& holder);
  // Who holds the store now, or empty if nobody does.
  static std::string Holder(const std::string& db_path);

  StoreLock(StoreLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StoreLock& operator=(StoreLock&&) = delete;
  ~StoreLock();

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tandem::store
