#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace testing_support {
namespace {

using namespace std::chrono_literals;

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

bool sendAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                pollfd p{fd, POLLOUT, 0};
                ::poll(&p, 1, 100);
                continue;
            }
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

// Closes with RST instead of FIN.
void resetClose(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

// Reads one HTTP request (head and Content-Length body), giving up after a while.
std::string readRequest(int fd, int timeoutMs) {
    std::string data;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    size_t needed = std::string::npos;
    while (std::chrono::steady_clock::now() < until) {
        if (needed != std::string::npos && data.size() >= needed) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char buf[16384];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        data.append(buf, size_t(n));
        if (needed == std::string::npos) {
            const size_t headEnd = data.find("\r\n\r\n");
            if (headEnd == std::string::npos) continue;
            size_t length = 0;
            std::string head = data.substr(0, headEnd);
            std::transform(head.begin(), head.end(), head.begin(), ::tolower);
            const size_t at = head.find("content-length:");
            if (at != std::string::npos) length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
            needed = headEnd + 4 + length;
        }
    }
    return data;
}

const char* reasonPhrase(int status) {
    switch (status) {
        case 429:
            return "Too Many Requests";
        case 503:
            return "Service Unavailable";
        default:
            return "Internal Server Error";
    }
}

}  // namespace

const char* FaultProxy::name(Mode mode) {
    switch (mode) {
        case Mode::Pass:
            return "pass";
        case Mode::Refuse:
            return "refuse";
        case Mode::Stall:
            return "stall";
        case Mode::Delay:
            return "delay";
        case Mode::Throttle:
            return "throttle";
        case Mode::Cut:
            return "cut";
        case Mode::Reset:
            return "reset";
        case Mode::ResetAfter:
            return "reset-after";
        case Mode::Status500:
            return "500";
        case Mode::Status503:
            return "503";
        case Mode::Status429:
            return "429";
    }
    return "?";
}

FaultProxy::FaultProxy(int targetPort) : m_targetPort(targetPort) {
    if (!openListener()) throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stopping = true;
    if (m_acceptor.joinable()) m_acceptor.join();
    closeListener();
    std::vector<Worker> workers;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        workers.swap(m_workers);
    }
    for (Worker& w : workers)
        if (w.thread.joinable()) w.thread.join();
}

bool FaultProxy::openListener() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(m_port));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 128) != 0) {
        ::close(fd);
        return false;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_listenFd = fd;
    return true;
}

void FaultProxy::closeListener() {
    const int fd = m_listenFd.exchange(-1);
    if (fd >= 0) ::close(fd);
}

void FaultProxy::bumpGeneration() { ++m_generation; }

void FaultProxy::setTarget(int targetPort) {
    m_targetPort = targetPort;
    bumpGeneration();
}

void FaultProxy::setMode(Mode mode, int count) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_mode = mode;
        m_modeCount = count;
        m_chaos = 0;
    }
    bumpGeneration();
    // The acceptor opens and closes the listener; wait until it has, so the caller's next step
    // already meets the new behaviour.
    const bool wantListening = mode != Mode::Refuse;
    for (int i = 0; i < 200 && (m_listenFd >= 0) != wantListening; ++i) sleepMs(5);
}

void FaultProxy::setChaos(double probability, std::vector<Mode> modes, uint64_t seed) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_mode = Mode::Pass;
        m_modeCount = -1;
        m_chaos = probability;
        m_chaosModes = std::move(modes);
        m_random.seed(seed);
    }
    bumpGeneration();
}

std::map<FaultProxy::Mode, int> FaultProxy::faults() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_faults;
}

int FaultProxy::faultCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    int total = 0;
    for (const auto& [mode, n] : m_faults) total += n;
    return total;
}

FaultProxy::Mode FaultProxy::pickMode() {
    std::lock_guard<std::mutex> lock(m_mutex);
    Mode mode = m_mode;
    if (m_chaos > 0 && !m_chaosModes.empty()) {
        std::uniform_real_distribution<double> coin(0, 1);
        mode = Mode::Pass;
        if (coin(m_random) < m_chaos) {
            std::uniform_int_distribution<size_t> pick(0, m_chaosModes.size() - 1);
            mode = m_chaosModes[pick(m_random)];
        }
    } else if (m_modeCount == 0) {
        mode = m_mode = Mode::Pass;
    } else if (m_modeCount > 0) {
        --m_modeCount;
    }
    if (mode != Mode::Pass) ++m_faults[mode];
    return mode;
}

void FaultProxy::acceptLoop() {
    while (!m_stopping) {
        Mode wanted;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            wanted = m_chaos > 0 ? Mode::Pass : m_mode;
        }
        if (wanted == Mode::Refuse && m_listenFd >= 0) closeListener();
        if (wanted != Mode::Refuse && m_listenFd < 0 && !openListener()) {
            sleepMs(20);
            continue;
        }
        const int fd = m_listenFd;
        if (fd < 0) {
            sleepMs(10);
            continue;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        const int client = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        ++m_connections;
        const Mode mode = pickMode();
        const uint64_t generation = m_generation;
        auto done = std::make_shared<std::atomic<bool>>(false);
        std::lock_guard<std::mutex> lock(m_mutex);
        // Join the workers that finished, so a long test does not pile up threads.
        for (auto it = m_workers.begin(); it != m_workers.end();) {
            if (*it->done) {
                it->thread.join();
                it = m_workers.erase(it);
            } else {
                ++it;
            }
        }
        m_workers.push_back(Worker{std::thread([this, client, mode, generation, done] {
                                       handle(client, mode, generation);
                                       *done = true;
                                   }),
                                   done});
    }
}

int FaultProxy::connectTarget() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(m_targetPort.load()));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void FaultProxy::handle(int client, Mode mode, uint64_t generation) {
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    switch (mode) {
        case Mode::Refuse:  // a connection that slipped in while switching: treat as reset
        case Mode::Reset:
            readRequest(client, 300);
            resetClose(client);
            return;
        case Mode::Stall:
            while (current(generation)) {
                pollfd p{client, POLLIN, 0};
                if (::poll(&p, 1, 50) > 0) {
                    char buf[4096];
                    if (::recv(client, buf, sizeof buf, 0) <= 0) break;  // the client gave up
                }
            }
            ::close(client);
            return;
        case Mode::Status500:
        case Mode::Status503:
        case Mode::Status429: {
            readRequest(client, 2000);
            const int status = mode == Mode::Status500 ? 500 : mode == Mode::Status503 ? 503 : 429;
            const std::string body = std::string("{\"error\":\"") +
                                     (status == 500 ? "internal" : "overloaded") +
                                     "\",\"message\":\"fault proxy\"}";
            std::string response =
                "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) +
                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n";
            if (status != 500) response += "Retry-After: " + std::to_string(m_retryAfter.load()) + "\r\n";
            response += "\r\n" + body;
            sendAll(client, response.data(), response.size());
            ::shutdown(client, SHUT_WR);
            sleepMs(20);
            ::close(client);
            return;
        }
        default:
            break;
    }
    const int upstream = connectTarget();
    if (upstream < 0) {
        // The target is down (a server being restarted): the client sees its connection reset.
        resetClose(client);
        return;
    }
    relay(client, upstream, mode, generation);
}

void FaultProxy::relay(int client, int upstream, Mode mode, uint64_t generation) {
    std::string head;                  // Cut: the answer so far, until its cut point is known
    size_t cutAt = std::string::npos;  // Cut: bytes of the answer to pass on
    size_t passed = 0;
    auto forward = [&](int to, const char* data, size_t size) {
        if (mode == Mode::Delay) sleepMs(m_delayMs);
        if (mode != Mode::Throttle) return sendAll(to, data, size);
        const size_t slice = std::max<size_t>(1, size_t(std::max(1, m_bytesPerSecond.load())) / 10);
        for (size_t off = 0; off < size; off += slice) {
            if (!current(generation)) return false;
            if (!sendAll(to, data + off, std::min(slice, size - off))) return false;
            sleepMs(100);
        }
        return true;
    };
    bool open = true;
    while (open && current(generation)) {
        pollfd p[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        if (::poll(p, 2, 50) <= 0) continue;
        char buf[16384];
        if (p[0].revents) {
            const ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0 || !forward(upstream, buf, size_t(n))) break;
        }
        if (p[1].revents) {
            const ssize_t n = ::recv(upstream, buf, sizeof buf, 0);
            if (n <= 0) break;
            if (mode == Mode::ResetAfter) {
                resetClose(client);
                ::close(upstream);
                return;
            }
            if (mode != Mode::Cut) {
                if (!forward(client, buf, size_t(n))) break;
                continue;
            }
            head.append(buf, size_t(n));
            if (cutAt == std::string::npos) {
                const size_t headEnd = head.find("\r\n\r\n");
                if (headEnd == std::string::npos) continue;
                std::string lower = head.substr(0, headEnd);
                std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
                const size_t at = lower.find("content-length:");
                const size_t body = at != std::string::npos
                                        ? std::strtoul(lower.c_str() + at + 15, nullptr, 10)
                                        : head.size() - headEnd - 4;
                cutAt = headEnd + 4 + body / 2;
            }
            const size_t upto = std::min(cutAt, head.size());
            if (upto > passed) {
                if (!sendAll(client, head.data() + passed, upto - passed)) break;
                passed = upto;
            }
            if (passed >= cutAt) open = false;  // the rest of the answer is lost on the way
        }
    }
    ::close(client);
    ::close(upstream);
}

}  // namespace testing_support
