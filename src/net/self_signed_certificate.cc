#include "net/self_signed_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

namespace kinesis_emulator::net {

namespace fs = std::filesystem;

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

// 825 days: the longest validity that macOS and iOS still accept for a TLS server certificate.
constexpr long kValiditySeconds = 825L * 24 * 3600;

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Result<Cert> make_certificate(EVP_PKEY* key) {
  Cert cert(X509_new());
  if (!cert) return make_error(errc::internal_failure, "tls: out of memory");
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) {
    return make_error(errc::internal_failure, "tls: no randomness for a serial number");
  }
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  // An hour back, so that a client whose clock is a little behind accepts it at once.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kinesis-emulator"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);

  // The certificate is its own trust anchor, so it carries what a CA does (as `openssl req
  // -x509` makes it) and what a server certificate needs (names, serverAuth).
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  const bool ok = add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
                  add_extension(cert.get(), &ctx, NID_key_usage,
                                "critical,digitalSignature,keyEncipherment,keyCertSign") &&
                  add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth") &&
                  add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash") &&
                  add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always") &&
                  add_extension(cert.get(), &ctx, NID_subject_alt_name,
                                "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1");
  if (!ok) return make_error(errc::internal_failure, "tls: cannot add certificate extensions");
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) {
    return make_error(errc::internal_failure, "tls: cannot sign the certificate");
  }
  return cert;
}

// Written beside its final name and renamed, so that a crash leaves no half file behind.
template <class Write>
Status write_pem(const fs::path& path, mode_t mode, Write write) {
  const fs::path tmp = path.string() + ".tmp";
  const mode_t old_mask = ::umask(0077);
  FILE* f = std::fopen(tmp.c_str(), "w");
  ::umask(old_mask);
  if (f == nullptr) return make_error(errc::internal_failure, "tls: cannot write " + tmp.string());
  const bool written = write(f);
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || ::chmod(tmp.c_str(), mode) != 0) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return make_error(errc::internal_failure, "tls: cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return make_error(errc::internal_failure, "tls: cannot write " + path.string());
  return Status::ok_status();
}

}  // namespace

Result<CertificateFiles> ensure_self_signed_certificate(const std::string& dir) {
  CertificateFiles files{dir + "/cert.pem", dir + "/key.pem", false};
  std::error_code ec;
  if (fs::exists(files.cert, ec) && fs::exists(files.key, ec)) return files;
  fs::create_directories(dir, ec);
  if (ec)
    return make_error(errc::internal_failure, "tls: cannot create " + dir + ": " + ec.message());

  // P-256: small, fast to make, and accepted by every SDK's TLS stack.
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) return make_error(errc::internal_failure, "tls: cannot make a key");
  auto cert = make_certificate(key.get());
  if (!cert.ok()) return std::move(cert).error();

  // The key first: a certificate on disk always has its key beside it.
  Status s = write_pem(files.key, 0600, [&](FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  if (!s.ok()) return std::move(s).error();
  s = write_pem(files.cert, 0644, [&](FILE* f) { return PEM_write_X509(f, cert->get()) == 1; });
  if (!s.ok()) return std::move(s).error();
  files.made = true;
  return files;
}

}  // namespace kinesis_emulator::net
