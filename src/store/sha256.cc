#include "store/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace tandem::store {
namespace {

struct Hasher {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Hasher() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
};

}  // namespace

std::string Sha256(std::string_view text) {
  thread_local Hasher h;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestInit_ex(h.ctx, h.md, nullptr);
  EVP_DigestUpdate(h.ctx, text.data(), text.size());
  EVP_DigestFinal_ex(h.ctx, out, &n);
  return std::string(reinterpret_cast<const char*>(out), n);
}

}  // namespace tandem::store
