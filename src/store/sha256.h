// SHA-256, fast for many small inputs (OpenSSL 3's one-shot SHA256() looks the algorithm up on
// every call; this keeps a fetched algorithm and a context per thread). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tandem::store {

// The 32-byte digest of text.
std::string Sha256(std::string_view text);

}  // namespace tandem::store
