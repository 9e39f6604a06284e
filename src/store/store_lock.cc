#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tandem::store {
namespace {

std::string LockPath(const std::string& db_path) { return db_path + ".lock"; }

std::string ReadAll(int fd) {
  std::string out;
  char buf[512];
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

Result<StoreLock> StoreLock::Acquire(const std::string& db_path, const std::string& holder) {
  int fd = open(LockPath(db_path).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return FailedPrecondition("cannot open lock file " + LockPath(db_path) + ": " +
                              std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string who = ReadAll(fd);
    close(fd);
    return FailedPrecondition("store " + db_path + " is held by " +
                              (who.empty() ? std::string("another process") : who));
  }
  std::string me = holder + " (pid " + std::to_string(getpid()) + ")";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, me.data(), me.size(), 0) < 0) {
    // The lock itself is held; only the description failed. Carry on.
  }
  return StoreLock(fd);
}

std::string StoreLock::Holder(const std::string& db_path) {
  int fd = open(LockPath(db_path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string who;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) who = ReadAll(fd);
  close(fd);
  return who;
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace tandem::store
