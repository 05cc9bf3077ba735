// The pairing page's HTTP server: cpp-httplib (Debian 12's 0.11.4) with the limits a LAN needs,
// answering through the session (pairing_session.h). Bodies of at most kMaxRequestBody with a
// Content-Length, request and header lines capped, a pool of few threads, keep-alive and
// read/write timeouts, and a budget per connection (connection_budget.h) of reads and time.
#pragma once

#include <memory>

#include "common/result.h"
#include "pairing/pairing_session.h"

namespace macula {

class PairingServer {
 public:
  explicit PairingServer(PairingSession& session);
  ~PairingServer();  // stop()

  // Binds port on every IPv4 address and serves from a thread of its own.
  Result<void> listen(int port);
  // Stops accepting, ends the connections and joins the threads. Idempotent.
  void stop();

 private:
  struct Server;
  std::unique_ptr<Server> server_;
};

}  // namespace macula
