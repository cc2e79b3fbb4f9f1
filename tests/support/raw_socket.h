#pragma once
// Plain TCP sockets to a server on 127.0.0.1, for tests that must send what no HTTP client would:
// trickled headers, bodies without a length, endless header lines, connections left open.
#include <chrono>
#include <string>
#include <string_view>

namespace testing_support {

// A connected socket to 127.0.0.1:port, or -1. With a send timeout, a send the server no longer
// reads fails after it instead of blocking.
int connectLoopback(int port, std::chrono::seconds sendTimeout = std::chrono::seconds(0));
// Sends all of bytes; false when the server stopped reading or closed.
bool sendAll(int fd, std::string_view bytes);
// Everything the server sends on fd until it closes or `limit` passes.
std::string readUntilClose(int fd, std::chrono::milliseconds limit = std::chrono::seconds(5));
// True when the server has closed fd (EOF or reset), waiting at most `limit` (0: only now).
bool closedByServer(int fd, std::chrono::milliseconds limit = std::chrono::milliseconds(0));
// Waits until condition() holds, checking every 50 ms for at most `limit`; the last answer.
template <class Condition>
bool waitUntil(Condition condition, std::chrono::milliseconds limit);

}  // namespace testing_support

#include <thread>

template <class Condition>
bool testing_support::waitUntil(Condition condition, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}
