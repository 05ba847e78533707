// The web server stopped from another thread while connections arrive (as the web API
// benchmark and `invoicing ui`'s shutdown do): the acceptor's close and the accept handler
// ran on different threads at once, and the server crashed now and then in async_accept
// (about one run in 50 of the benchmark).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "web/server.h"

using namespace invoicing::web;

namespace {

// Connects to 127.0.0.1:port and closes again (at most 50 times), until told to stop. Closed
// with a reset, not a FIN: thousands of connections in TIME_WAIT would use up the loopback's
// ephemeral ports that other tests running beside this one (the qemu guests' port forwarding)
// need.
void knock(int port, const std::atomic<bool>& done) {
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(uint16_t(port));
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const linger reset{1, 0};
  for (int i = 0; i < 50 && !done; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) continue;
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at);
    ::close(fd);
  }
}

}  // namespace

TEST_CASE("ui server: stopped from another thread while connections arrive, it ends cleanly", "[web]") {
  Secrets secrets;
  secrets.token = std::string(64, 'a');
  secrets.csrf = std::string(64, 'c');
  for (int round = 0; round < 300; ++round) {
    Limits limits;
    limits.threads = 4;
    Server server(0, limits);
    secrets.port = server.port();
    std::thread serving([&] { server.run(secrets, [](const ApiRequest&) { return ApiResponse{}; }); });
    std::atomic<bool> done{false};
    std::thread a([&] { knock(secrets.port, done); }), b([&] { knock(secrets.port, done); });
    std::this_thread::sleep_for(std::chrono::microseconds(200 + 37 * (round % 20)));
    server.stop();
    serving.join();
    done = true;
    a.join();
    b.join();
  }
  SUCCEED("300 servers stopped while connections arrived");
}
