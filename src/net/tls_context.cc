#include "net/tls_context.h"

#include <openssl/ssl.h>

namespace kinesis_emulator::net {

namespace ssl = boost::asio::ssl;

namespace {

// Our order of preference, in ALPN's wire form (length-prefixed names).
constexpr unsigned char kAlpnProtocols[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

int select_alpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                unsigned int in_len, void*) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_len, kAlpnProtocols, sizeof kAlpnProtocols, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED) {
    // Nothing in common (a client offering only, say, h3): go on without ALPN; HTTP/1.1 it is.
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_tls_context(const std::string& cert_file,
                                                       const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use,
                   ec);
  if (!ec) ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return make_error(errc::internal_failure,
                      "tls: cannot use certificate " + cert_file + ": " + ec.message());
  }
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return make_error(errc::internal_failure,
                      "tls: cannot use private key " + key_file + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    return make_error(errc::internal_failure,
                      "tls: " + key_file + " is not the key of " + cert_file);
  }
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), select_alpn, nullptr);
  return ctx;
}

}  // namespace kinesis_emulator::net
