// kioskctl sync: the kiosk's sync engine without a window.
//   sync --once [--timeout S] [--limit N]
//                               push until the outbox is empty, pull until no page is left, retrying
//                               transient errors for at most S seconds (default 60).
//                               Exit 0 done (rejected events count as done), 2 the district refuses
//                               this kiosk (or it has no server), 3 unreachable or failing.
//   sync                        the kiosk's sync loop until SIGINT/SIGTERM.
//   sync --state                online/offline, last success, waiting, last error, clock.
#include <signal.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <iostream>

#include "kiosk/cli/cli.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/text.h"
#include "kiosk/store/sync_store.h"
#include "sync/client/sync_engine.h"

namespace kiosk::cli {
namespace {

using client::PassEnd;

// "3 ngày 2 giờ", "5 phút", "40 giây" — the size of a clock error or an age, for people.
std::string spanWords(int64_t millis, Lang lang) {
    const bool en = lang == Lang::En;
    int64_t seconds = std::llabs(millis) / 1000;
    const int64_t days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60;
    auto unit = [&](int64_t n, const char* vi, const char* enOne, const char* enMany) {
        return std::to_string(n) + " " + (en ? (n == 1 ? enOne : enMany) : vi);
    };
    if (days > 0)
        return unit(days, "ngày", "day", "days") + (hours ? " " + unit(hours, "giờ", "hour", "hours") : "");
    if (hours > 0)
        return unit(hours, "giờ", "hour", "hours") +
               (minutes ? " " + unit(minutes, "phút", "minute", "minutes") : "");
    if (minutes > 0) return unit(minutes, "phút", "minute", "minutes");
    return unit(seconds, "giây", "second", "seconds");
}

int showState(Context& ctx) {
    auto opened = ctx.openStore();
    if (!opened) return ctx.fail(opened.error());
    auto status = store::readSyncStatus(**opened);
    if (!status) return ctx.fail(status.error(), kInternal);
    const store::SyncStatus& s = *status;
    const int64_t now = int64_t(wallClockMillis());
    if (ctx.json) {
        nlohmann::json out{
            {"online", s.online},
            {"configured", s.configured},
            {"server", s.serverUrl},
            {"kiosk", s.kioskId},
            {"last_success",
             s.lastSuccessMs ? nlohmann::json(isoLocalTime(s.lastSuccessMs / 1000)) : nlohmann::json()},
            {"last_success_ms", s.lastSuccessMs ? nlohmann::json(s.lastSuccessMs) : nlohmann::json()},
            {"last_attempt_ms", s.lastAttemptMs ? nlohmann::json(s.lastAttemptMs) : nlohmann::json()},
            {"records_waiting", s.recordsWaiting},
            {"events_waiting", s.eventsWaiting},
            {"rejected_events", s.rejectedEvents},
            {"last_error", s.lastError ? nlohmann::json{{"code", s.lastError->code},
                                                        {"message", s.lastError->text(ctx.lang)}}
                                       : nlohmann::json()},
            {"clock_offset_ms", s.clockOffsetMs ? nlohmann::json(*s.clockOffsetMs) : nlohmann::json()},
            {"clock_wrong", s.clockWrong()},
            {"cursor", s.cursor},
            {"last_repair", s.lastRepair.empty() ? nlohmann::json() : nlohmann::json(s.lastRepair)},
        };
        if (!s.successorCode.empty())
            out["successor"] = nlohmann::json{{"code", s.successorCode}, {"name", s.successorName}};
        if (s.tooOld)
            out["too_old"] = nlohmann::json{{"code", s.tooOld->code}, {"message", s.tooOld->text(ctx.lang)}};
        if (s.orphaned)
            out["commune_orphaned"] = nlohmann::json{
                {"code", s.orphaned->code}, {"name", s.orphaned->name}, {"since", s.orphaned->since.iso()}};
        std::cout << out.dump() << "\n";
        return kOk;
    }
    auto line = [&](const std::string& vi, const std::string& en, const std::string& value) {
        std::cout << ctx.say(vi, en) << ": " << value << "\n";
    };
    if (!s.configured) {
        line("Kết nối", "Connection", ctx.say("chưa cấu hình máy chủ", "no server configured"));
    } else {
        line("Kết nối", "Connection",
             s.online ? ctx.say("trực tuyến", "online") : ctx.say("ngoại tuyến", "offline"));
        line("Máy chủ", "Server", s.serverUrl);
    }
    line("Đồng bộ thành công gần nhất", "Last successful sync",
         s.lastSuccessMs ? isoLocalTime(s.lastSuccessMs / 1000) + " (" +
                               spanWords(now - s.lastSuccessMs, ctx.lang) + ctx.say(" trước)", " ago)")
                         : ctx.say("chưa lần nào", "never"));
    line("Đang chờ gửi", "Waiting to be sent",
         std::to_string(s.recordsWaiting) + ctx.say(" hồ sơ (", " records (") +
             std::to_string(s.eventsWaiting) + ctx.say(" thay đổi)", " changes)"));
    if (s.rejectedEvents)
        line("Máy chủ từ chối", "Rejected by the server",
             std::to_string(s.rejectedEvents) + ctx.say(" thay đổi", " changes"));
    line("Lỗi gần nhất", "Last error",
         s.lastError ? s.lastError->text(ctx.lang) : ctx.say("không có", "none"));
    if (s.tooOld) line("Cần cập nhật phần mềm", "Software update needed", s.tooOld->text(ctx.lang));
    if (!s.successorCode.empty())
        line("Xã của máy này đã thay đổi", "This kiosk's commune has changed",
             ctx.say("nay là " + unitNameMidSentence(s.successorName), "now " + s.successorName) + " (" +
                 s.successorCode + ")" + ctx.say(" — xin đăng ký lại máy", " — please re-enroll the kiosk"));
    if (s.orphaned) {
        const std::string since = s.orphaned->since.iso();
        const std::string sinceVi = since.substr(8, 2) + "/" + since.substr(5, 2) + "/" + since.substr(0, 4);
        line("Đơn vị của máy này không còn", "This kiosk's unit no longer exists",
             ctx.say("Đơn vị " + unitNameMidSentence(s.orphaned->name) + " (" + s.orphaned->code +
                         ") không còn từ ngày " + sinceVi +
                         " và chưa có đơn vị kế thừa: hồ sơ của đơn vị này chưa có ai nhận. Xin báo cán "
                         "bộ quản trị máy chủ nhập bảng kế thừa.",
                     s.orphaned->displayName(true) + " (" + s.orphaned->code + ") no longer exists since " +
                         since +
                         " and has no successor yet: nobody receives its records. Please ask the "
                         "server's administrator to import the succession table."));
    }
    if (!s.lastRepair.empty())
        line("Máy đã tự sửa dữ liệu (báo kỹ thuật viên)", "The store repaired itself (tell a technician)",
             s.lastRepair);
    if (s.clockOffsetMs) {
        const int64_t off = *s.clockOffsetMs;  // district minus kiosk
        if (s.clockWrong()) {
            line("Đồng hồ", "Clock",
                 ctx.say("SAI — đồng hồ của máy ", "WRONG — this kiosk's clock is ") +
                     spanWords(off, ctx.lang) +
                     (off > 0 ? ctx.say(" chậm hơn máy chủ", " behind the server")
                              : ctx.say(" nhanh hơn máy chủ", " ahead of the server")) +
                     ctx.say("; hãy chỉnh lại giờ.", "; set the time."));
        } else {
            line("Đồng hồ", "Clock",
                 ctx.say("đúng (lệch ", "right (off by ") + spanWords(off, ctx.lang) + ")");
        }
    } else {
        line("Đồng hồ", "Clock", ctx.say("chưa so được với máy chủ", "not yet compared with the district"));
    }
    return kOk;
}

int exitFor(const Context& ctx, const client::OnceResult& r) {
    const Error fallback = makeError("sync", "Đồng bộ không thành công.", "Sync did not succeed.");
    const Error& error = r.error ? *r.error : fallback;
    switch (r.end) {
        case PassEnd::Done:
            return kOk;
        case PassEnd::Refused:
        case PassEnd::NotConfigured:
            return ctx.fail(error, kBadInput);
        case PassEnd::LocalError:
            return ctx.fail(error, kInternal);
        default:
            return ctx.fail(error, kTryLater);
    }
}

int syncOnce(Context& ctx, client::SyncOptions options) {
    int64_t timeoutSeconds = 60;
    if (auto t = ctx.args.get("timeout")) {
        char* end = nullptr;
        const long long parsed = std::strtoll(t->c_str(), &end, 10);
        if (t->empty() || *end != '\0' || parsed <= 0 || parsed > 7 * 86400)
            return ctx.fail("--timeout phải là số giây (1 trở lên).",
                            "--timeout must be a number of seconds (1 or more).");
        timeoutSeconds = parsed;
    }
    client::SyncEngine engine(std::move(options));
    const client::OnceResult r = engine.runOnce(std::chrono::seconds(timeoutSeconds));
    if (r.end != PassEnd::Done) return exitFor(ctx, r);
    if (ctx.json) {
        std::cout << nlohmann::json{{"pushed", r.pushed},
                                    {"rejected", r.rejected},
                                    {"pulled", r.pulled},
                                    {"waiting", r.eventsWaiting}}
                         .dump()
                  << "\n";
    } else {
        std::cout << ctx.say("Đã đồng bộ: gửi ", "Synced: sent ") << r.pushed
                  << ctx.say(" thay đổi (máy chủ từ chối ", " changes (rejected by the server: ")
                  << r.rejected << ctx.say("), nhận ", "), received ") << r.pulled
                  << ctx.say(" thay đổi.", " changes.") << "\n";
    }
    return kOk;
}

int syncLoop(Context& ctx, client::SyncOptions options) {
    // Signals are taken by sigwait on this thread; the engine's thread inherits the blocked mask.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    client::SyncEngine engine(std::move(options));
    client::SyncPhase shown = client::SyncPhase::Stopped;
    engine.setOnChange([&engine, &shown, &ctx] {
        // Runs on the sync thread; `shown` is only touched here.
        const client::SyncSnapshot s = engine.snapshot();
        if (s.phase == shown || s.phase == client::SyncPhase::Syncing) return;
        shown = s.phase;
        std::string line =
            isoLocalTime(int64_t(wallClockMillis()) / 1000) + " " + std::string(client::toSlug(s.phase));
        if (s.phase != client::SyncPhase::Idle && s.lastError) line += ": " + s.lastError->text(ctx.lang);
        line += ctx.say(" (chờ gửi: ", " (waiting: ") + std::to_string(s.eventsWaiting) + ")";
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    });
    engine.start();
    int signal = 0;
    sigwait(&stopSignals, &signal);
    engine.stop();
    return kOk;
}

}  // namespace

int cmdSync(Context& ctx) {
    if (ctx.args.has("state")) return showState(ctx);
    {
        auto opened = ctx.openStore();  // refuses a kiosk that was never set up (exit 2)
        if (!opened) return ctx.fail(opened.error());
    }
    client::SyncOptions options;
    options.dbPath = ctx.dbPath;
    // --limit N: at most N events per push and N changes per pull page (smaller checkpoints, for
    // slow links and for tests that crash it between them).
    if (auto limit = ctx.args.get("limit")) {
        char* end = nullptr;
        const long n = std::strtol(limit->c_str(), &end, 10);
        if (limit->empty() || *end != '\0' || n < 1 || n > 500)
            return ctx.fail("--limit phải từ 1 đến 500.", "--limit must be between 1 and 500.");
        options.largestBatch = int(n);
        options.smallestBatch = std::min(options.smallestBatch, int(n));
        options.pullLimit = int(n);
    }
    return ctx.args.has("once") ? syncOnce(ctx, std::move(options)) : syncLoop(ctx, std::move(options));
}

}  // namespace kiosk::cli
