// xbase-delay-proxy: a TCP relay on 127.0.0.1 that holds every byte for half a round trip in
// each direction, so that the smb-lab's guest (which reaches the lab's Samba server through a
// local port) sees a LAN's or a WAN's round trip, where this machine's kernel has no netem.
// Bytes keep their order and their timing relative to each other: requests a client sends side
// by side still overlap, so the added wall time of a command is the round trips it waited for
// one after the other, times the round trip (bench/smb_guest_waits.sh).
//
//   xbase-delay-proxy LISTEN_PORT TARGET_PORT RTT_FILE
//
// RTT_FILE holds the round trip in microseconds (a missing or empty file: none). It is read
// again whenever its modification time changes (looked at every 20 ms at most), so one guest
// boot can time a command without and with a delay, alternately. Written for the lab, not found
// in Debian: tc's netem needs a kernel module this machine lacks, toxiproxy is not packaged.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk {
  Clock::time_point due;
  std::string bytes;
};

// One direction of a connection: what was read from `from` and waits to be written to `to`.
struct Flow {
  int from = -1, to = -1;
  std::deque<Chunk> queue;
  bool eof = false;      // `from` closed its side
  bool shut = false;     // and that was passed on, once the queue was empty
};

struct Pair {
  Flow up, down;  // client -> server, server -> client
  bool done() const { return up.shut && down.shut; }
};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "xbase-delay-proxy: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

int listen_on(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) die("socket");
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("bind");
  if (listen(s, 16) != 0) die("listen");
  return s;
}

int connect_to(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(s);
    return -1;
  }
  return s;
}

void no_delay(int s) {
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// The round trip RTT_FILE asks for, read again when the file changed.
class RttSetting {
 public:
  explicit RttSetting(std::string path) : path_(std::move(path)) {}
  Clock::duration half() {
    auto now = Clock::now();
    if (now - looked_ < std::chrono::milliseconds(20)) return half_;
    looked_ = now;
    struct stat st{};
    long long stamp = stat(path_.c_str(), &st) == 0 ? st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec : -1;
    if (stamp == stamp_) return half_;
    stamp_ = stamp;
    long long us = 0;
    std::ifstream in(path_);
    if (!(in >> us) || us < 0) us = 0;
    half_ = std::chrono::microseconds(us) / 2;
    std::fprintf(stderr, "xbase-delay-proxy: round trip %lld us\n", us);
    return half_;
  }

 private:
  std::string path_;
  Clock::time_point looked_{};
  long long stamp_ = -2;
  Clock::duration half_{};
};

// Writes all of `bytes`. The sockets block: the lab's peers (Samba, the guest's connection)
// read promptly; one that stopped reading would stall the relay, both directions.
bool write_all(int s, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = send(s, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

// Passes on what is due; false when the peer is gone.
bool pass_due(Flow& f, Clock::time_point now) {
  while (!f.queue.empty() && f.queue.front().due <= now) {
    if (!write_all(f.to, f.queue.front().bytes)) return false;
    f.queue.pop_front();
  }
  if (f.eof && f.queue.empty() && !f.shut) {
    shutdown(f.to, SHUT_WR);
    f.shut = true;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: xbase-delay-proxy LISTEN_PORT TARGET_PORT RTT_FILE\n");
    return 2;
  }
  const int target = std::atoi(argv[2]);
  const int listener = listen_on(std::atoi(argv[1]));
  RttSetting rtt(argv[3]);
  std::vector<std::unique_ptr<Pair>> pairs;
  std::vector<char> buf(1 << 16);
  for (;;) {
    const auto half = rtt.half();
    // Wait for bytes, a connection, or the next chunk's time.
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    Clock::time_point next = Clock::time_point::max();
    for (auto& p : pairs)
      for (Flow* f : {&p->up, &p->down}) {
        if (!f->eof) fds.push_back({f->from, POLLIN, 0});
        if (!f->queue.empty() && f->queue.front().due < next) next = f->queue.front().due;
      }
    timespec ts{0, 20'000'000};  // at most 20 ms, to look at RTT_FILE again
    if (next != Clock::time_point::max()) {
      auto wait = std::max(next - Clock::now(), Clock::duration::zero());
      if (wait < std::chrono::milliseconds(20)) {
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
        ts = {time_t(ns / 1000000000), long(ns % 1000000000)};
      }
    }
    if (ppoll(fds.data(), fds.size(), &ts, nullptr) < 0 && errno != EINTR) die("ppoll");
    const auto now = Clock::now();
    for (const pollfd& p : fds) {
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (p.fd == listener) {
        int c = accept(listener, nullptr, nullptr);
        if (c < 0) continue;
        int s = connect_to(target);
        if (s < 0) {
          close(c);
          continue;
        }
        no_delay(c);
        no_delay(s);
        auto pr = std::make_unique<Pair>();
        pr->up.from = pr->down.to = c;
        pr->up.to = pr->down.from = s;
        pairs.push_back(std::move(pr));
        continue;
      }
      for (auto& pr : pairs)
        for (Flow* f : {&pr->up, &pr->down}) {
          if (f->from != p.fd || f->eof) continue;
          ssize_t n = recv(f->from, buf.data(), buf.size(), 0);
          if (n > 0)
            f->queue.push_back({now + half, std::string(buf.data(), size_t(n))});
          else if (n == 0 || errno != EINTR)
            f->eof = true;
        }
    }
    for (auto it = pairs.begin(); it != pairs.end();) {
      Pair& pr = **it;
      bool alive = pass_due(pr.up, now) && pass_due(pr.down, now);
      if (!alive || pr.done()) {
        close(pr.up.from);
        close(pr.up.to);
        it = pairs.erase(it);
      } else {
        ++it;
      }
    }
  }
}
