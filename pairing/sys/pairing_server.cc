#include "pairing/sys/pairing_server.h"

#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>

#include "pairing/connection_budget.h"
#include "pairing/pairing_page.h"

namespace macula {
// Called by cpp-httplib before each recv of a connection (through CPPHTTPLIB_RECV_FLAGS below):
// once the connection's budget is spent its socket is shut for reading, so the recv ends it.
int pairing_receive_flags(int socket);
}  // namespace macula

// cpp-httplib 0.11.4 takes these limits as macros before its header. Its per-line caps are
// checked after a line is read whole, so the budget per connection is what bounds memory.
#define CPPHTTPLIB_REQUEST_URI_MAX_LENGTH 1024
#define CPPHTTPLIB_HEADER_MAX_LENGTH 2048
#define CPPHTTPLIB_LISTEN_BACKLOG 16
#define CPPHTTPLIB_RECV_FLAGS ::macula::pairing_receive_flags(sock_)
#include <httplib.h>

namespace macula {

namespace {

constexpr size_t kThreads = 4;
// Reads of at most 4 KiB (cpp-httplib's buffer): a connection holds at most 256 KiB, and a
// thread 20 s from its acceptance (time in the queue counts).
constexpr int kReadsPerConnection = 64;
constexpr std::chrono::seconds kConnectionTime{20};
constexpr time_t kReadTimeout = 5, kWriteTimeout = 5, kKeepAliveTimeout = 2;
constexpr size_t kKeepAliveRequests = 5;

thread_local std::optional<ConnectionBudget> connection_budget;

// The pool that runs each accepted connection within its budget.
class BudgetedPool : public httplib::TaskQueue {
 public:
  BudgetedPool() : pool_(kThreads) {}

  void enqueue(std::function<void()> connection) override {
    const auto deadline = ConnectionBudget::Clock::now() + kConnectionTime;
    pool_.enqueue([connection = std::move(connection), deadline] {
      connection_budget.emplace(kReadsPerConnection, deadline);
      connection();
      connection_budget.reset();
    });
  }

  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

HttpRequest head_of(const httplib::Request& request) {
  HttpRequest head;
  head.method = request.method;
  head.path = request.path;
  head.host = request.get_header_value("Host");
  head.remote_address = request.remote_addr;
  head.content_type = request.get_header_value("Content-Type");
  head.page_token = request.get_header_value(kPageTokenHeader);
  if (request.has_header("Content-Length")) {
    const std::string text = request.get_header_value("Content-Length");
    std::uint64_t length = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
    // one that is not a number is no length this page takes
    head.content_length = error == std::errc() && end == text.data() + text.size() ? length
                                                                                    : std::numeric_limits<std::uint64_t>::max();
  }
  head.transfer_encoding = request.has_header("Transfer-Encoding");
  return head;
}

void answer(httplib::Response& response, const HttpReply& reply) {
  response.status = reply.status;
  response.set_content(reply.body, reply.content_type.c_str());
}

}  // namespace

int pairing_receive_flags(int socket) {
  if (connection_budget && !connection_budget->take_read(ConnectionBudget::Clock::now())) ::shutdown(socket, SHUT_RD);
  return 0;
}

struct PairingServer::Server {
  httplib::Server http;
  std::thread listener;
};

PairingServer::PairingServer(PairingSession& session) : server_(std::make_unique<Server>()) {
  httplib::Server& http = server_->http;
  http.new_task_queue = [] { return new BudgetedPool(); };
  http.set_payload_max_length(kMaxRequestBody);
  http.set_read_timeout(kReadTimeout);
  http.set_write_timeout(kWriteTimeout);
  http.set_keep_alive_timeout(kKeepAliveTimeout);
  http.set_keep_alive_max_count(kKeepAliveRequests);
  // Before the body is read: another Host, no length or too long a one is answered at once.
  http.set_pre_routing_handler([&session](const httplib::Request& request, httplib::Response& response) {
    const auto refused = session.refuse_head(head_of(request));
    if (!refused) return httplib::Server::HandlerResponse::Unhandled;
    answer(response, *refused);
    return httplib::Server::HandlerResponse::Handled;
  });
  const auto handle = [&session](const httplib::Request& request, httplib::Response& response) {
    HttpRequest full = head_of(request);
    full.body = request.body;
    answer(response, session.handle(full));
  };
  http.Get(".*", handle);
  http.Post(".*", handle);
  http.set_default_headers({{"Cache-Control", "no-store"},
                            {"X-Frame-Options", "DENY"},
                            {"Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"}});
}

PairingServer::~PairingServer() { stop(); }

Result<void> PairingServer::listen(int port) {
  if (!server_->http.bind_to_port("0.0.0.0", port))
    return fail(ErrorKind::busy, "cannot listen on port " + std::to_string(port) + " (another server on it?)");
  server_->listener = std::thread([this] { server_->http.listen_after_bind(); });
  return {};
}

void PairingServer::stop() {
  server_->http.stop();
  if (server_->listener.joinable()) server_->listener.join();
}

}  // namespace macula
