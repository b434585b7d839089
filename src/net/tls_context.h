#pragma once
// The server's TLS settings: TLS 1.2 and 1.3 only, the certificate and key, and ALPN that picks
// h2 when the client offers it and http/1.1 otherwise.

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "common/status.h"

namespace kinesis_emulator::net {

Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file);

}  // namespace kinesis_emulator::net
