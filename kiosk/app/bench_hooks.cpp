#include "kiosk/app/bench_hooks.h"

#include <time.h>

#include <algorithm>
#include <cstdlib>

namespace kiosk::app {

BenchHooks BenchHooks::fromEnvironment() {
    BenchHooks h;
    if (const char* f = std::getenv("KIOSK_BENCH_FRAMES"); f && *f) h.m_frames = std::fopen(f, "a");
#ifdef KIOSK_BENCH_HOOKS
    // Logs an officer in without anyone typing a PIN: never compiled into a kiosk a citizen meets.
    if (const char* o = std::getenv("KIOSK_BENCH_OFFICER"); o && *o) h.m_officer = o;
#endif
    if (const char* n = std::getenv("KIOSK_BENCH_SCROLL"); n && *n)
        h.m_scrollFrames = std::max(0, std::atoi(n));
    return h;
}

BenchHooks::BenchHooks(BenchHooks&& other) noexcept
    : m_frames(other.m_frames),
      m_officer(std::move(other.m_officer)),
      m_scrollFrames(other.m_scrollFrames),
      m_drawn(other.m_drawn) {
    other.m_frames = nullptr;
}

BenchHooks::~BenchHooks() {
    if (m_frames) std::fclose(m_frames);
}

std::string BenchHooks::help(Lang lang) {
#ifdef KIOSK_BENCH_HOOKS
    const bool officerHook = true;
#else
    const bool officerHook = false;
#endif
    if (lang == Lang::En)
        return std::string(
                   "Measurement (bench/kiosk.cpp): KIOSK_BENCH_FRAMES=FILE (first-frame time and "
                   "per-frame timings), ") +
               (officerHook ? "KIOSK_BENCH_OFFICER=ID:PIN (open the officer queue; bench builds only), "
                            : "") +
               "KIOSK_BENCH_SCROLL=N (draw N frames dragging the list, then exit). Tests: "
               "KIOSK_TEST_REPORT_VERSION=X.Y.Z (report that version to the server).\n";
    return std::string(
               "Đo hiệu năng (bench/kiosk.cpp): KIOSK_BENCH_FRAMES=TỆP (thời điểm khung hình đầu và "
               "thời gian từng khung), ") +
           (officerHook ? "KIOSK_BENCH_OFFICER=MÃ:PIN (mở hàng đợi của cán bộ; chỉ bản dựng đo hiệu năng), "
                        : "") +
           "KIOSK_BENCH_SCROLL=N (vẽ N khung hình kéo danh sách rồi thoát). Kiểm thử: "
           "KIOSK_TEST_REPORT_VERSION=X.Y.Z (báo phiên bản đó cho máy chủ).\n";
}

double BenchHooks::cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

Outcome BenchHooks::openOfficerQueue(StoreController& controller, ui::KioskUi& ui) const {
    if (m_officer.empty()) return {};
    const size_t colon = m_officer.find(':');
    auto session = controller.officerLogin(m_officer.substr(0, colon),
                                           colon == std::string::npos ? "" : m_officer.substr(colon + 1));
    if (!session) return session.error();
    ui.setOfficer(session.value());
    ui.go(ui::ScreenId::Officer);
    return {};
}

void BenchHooks::drag(PointerQueue& pointer, float width, float height) const {
    const int step = m_drawn % 40;
    const float x = width * 0.5f;
    const float y = height * 0.85f - float(std::min(step, 30)) * 20.0f;
    if (step == 0) {
        pointer.move(x, y);
        pointer.button(true);
    } else if (step <= 30) {
        pointer.move(x, y);
    } else if (step == 31) {
        pointer.button(false);
    }
}

bool BenchHooks::frameDone(double uiCpuMs, double frameMs, int64_t buttons) {
    if (m_frames) {
        if (m_drawn == 0) {
            timespec t{};
            clock_gettime(CLOCK_MONOTONIC, &t);
            std::fprintf(m_frames, "first_frame_ns %lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
        }
        std::fprintf(m_frames, "frame %.4f %.4f %lld\n", uiCpuMs, frameMs, (long long)buttons);
        std::fflush(m_frames);
    }
    ++m_drawn;
    return m_scrollFrames > 0 && m_drawn >= m_scrollFrames;
}

void BenchHooks::idle(int64_t buttons) {
    if (!m_frames) return;
    std::fprintf(m_frames, "idle %d %lld\n", m_drawn, (long long)buttons);
    std::fflush(m_frames);
}

}  // namespace kiosk::app
