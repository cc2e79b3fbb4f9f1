// Fuzzes the district server's request handling below HTTP: what POST /api/v1/push and
// GET /api/v1/pull do with a request once the token is checked (district_server.cpp), on a real
// DistrictStore. The HTTP layer itself (cpp-httplib) is not ours to fuzz, and the server has no
// socket-free entry point, so this replays its steps: decode the body, refuse a kiosk id that is
// not the token's, judge the push in a write transaction (applyPush, push_judgement.h), answer, then
// serve a pull with the query's since and limit.
//
// Input: <push body> [0xFF <since> [0xFF <limit>]]. Each input gets a fresh database (a copy of a
// template made once, in a temporary directory) with two enrolled kiosks, k1 in commune 02374 (the
// caller) and k2 in 02377, so every input means the same thing whatever ran before it. Seeds push
// as "k1".
//
// Properties: a push against a live database is judged (no storage error); the answer lists events
// in ascending seq (a uuid repeated under a second seq is a duplicate, even in a fresh database)
// and its acked_seq is where the judging stopped; the encoded answer decodes on the kiosk's side;
// pushing the same request again changes nothing and answers duplicates; the change feed holds one
// change per accepted or rejected event, none of which k2 (another commune) can pull; and every
// pull page the server encodes decodes on the kiosk's side.
#include <stdlib.h>

#include <filesystem>
#include <memory>

#include "fuzz/fuzz_check.h"
#include "core/reference_data.h"
#include "common/database.h"
#include "sync/protocol/messages.h"
#include "district/store/district_store.h"
#include "district/sync/push_judgement.h"

using namespace kiosk;
using namespace kiosk::protocol;
using namespace kiosk::district;
using fuzz::require;

namespace {

constexpr int64_t kNowMs = 1767232800000;  // 2026-01-01 09:00 at UTC+7: fixed, so inputs replay

const DeadlineRules& rules() {
    static const DeadlineRules r = [] {
        auto data = loadReferenceData(assetsDir());
        return data ? data->deadlineRules() : DeadlineRules{};
    }();
    return r;
}

struct District {
    std::unique_ptr<DistrictStore> store;
    KioskIdentity caller{"k1", "02374", false};
    KioskIdentity other{"k2", "02377", false};
};

// Creating and migrating a database for every input would cost ~10 ms; copying a closed template
// file (two kiosks enrolled, WAL checkpointed) costs a fraction of that and means the same.
class Scratch {
public:
    Scratch() {
        std::string pattern = (std::filesystem::temp_directory_path() / "kiosk-fuzz-server-XXXXXX").string();
        require(mkdtemp(pattern.data()) != nullptr, "a scratch directory is made");
        m_dir = pattern;
        auto store = DistrictStore::open(file("template.db"), true);
        require(store.ok(), "the template district store is created");
        auto k1 = (*store)->enrollKiosk("02374", kNowMs);
        auto k2 = (*store)->enrollKiosk("02377", kNowMs);
        require(k1 && k2 && k1->kioskId == "k1" && k2->kioskId == "k2", "kiosks enroll as k1 and k2");
    }
    ~Scratch() {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    District fresh() const {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(file("input.db") + suffix, ignored);
        std::filesystem::copy_file(file("template.db"), file("input.db"));
        auto store = DistrictStore::open(file("input.db"), false);
        require(store.ok(), "a copy of the template opens");
        // Durability is not under test here, and an fsync per commit would dominate the run.
        require((*store)->database().exec("PRAGMA synchronous=OFF").ok(), "synchronous can be turned off");
        District d;
        d.store = std::move(*store);
        return d;
    }

private:
    std::string file(const char* name) const { return (m_dir / name).string(); }
    std::filesystem::path m_dir;
};

// What the kiosk reads back must decode: the server's answer is the client's input.
void checkAnswerDecodes(const PushResponse& response) {
    auto decoded = decodePushResponse(encodePushResponse(response));
    require(decoded.ok(), "the server's push answer decodes");
    require(decoded->ackedSeq == response.ackedSeq, "the answer's acked_seq survives encoding");
    require(decoded->results.size() == response.results.size(), "every result survives encoding");
}

std::vector<StoredChange> wholeFeed(DistrictStore& store, const KioskIdentity& kiosk) {
    auto page = store.pull(kiosk, Cursor{}, kMaxPullLimit);
    require(page.ok() && !page->reset, "the feed from the start can be read");
    return page->changes;
}

void push(District& d, const PushRequest& request) {
    size_t accepted = 0;
    size_t rejected = 0;
    int64_t ackedSeq = 0;
    {
        store::Transaction tx(d.store->database());
        require(tx.begun().ok(), "a write transaction begins");
        auto answer = applyPush(*d.store, d.caller, request, kNowMs, rules());
        require(answer.ok(), "a push is judged without a storage error");
        if (!answer->sequenceOk) return;  // 409: the server rolls the push back (tx does)
        const PushResponse& response = answer->response;
        int64_t previous = 0;
        for (const EventResult& r : response.results) {
            require(r.seq > previous, "results come in ascending seq");
            previous = r.seq;
            if (r.verdict == Verdict::Accepted) {
                ++accepted;
                require(!r.status.empty(), "an accepted event reports the record's status");
            } else if (r.verdict == Verdict::Rejected) {
                ++rejected;
                require(r.reason && !r.reason->code.empty(), "a rejected event says why");
            }
        }
        require(response.ackedSeq == previous && answer->ackedSeq == previous,
                "acked_seq is the last event judged");
        checkAnswerDecodes(response);
        require(tx.commit().ok(), "the push commits");
        ackedSeq = response.ackedSeq;
    }

    const auto feed = wholeFeed(*d.store, d.caller);
    require(feed.size() == accepted + rejected, "one change per judged event");
    require(wholeFeed(*d.store, d.other).empty(), "another commune sees none of it");

    // The kiosk resends the same batch (its answer was lost): nothing changes.
    store::Transaction tx(d.store->database());
    require(tx.begun().ok(), "a second write transaction begins");
    auto again = applyPush(*d.store, d.caller, request, kNowMs, rules());
    require(again.ok() && again->sequenceOk, "a resent push is not a sequence reuse");
    require(again->response.ackedSeq == ackedSeq, "a resent push leaves acked_seq");
    for (const EventResult& r : again->response.results)
        require(r.verdict == Verdict::Duplicate, "a resent event is a duplicate");
    require(tx.commit().ok(), "the resend commits");
    require(wholeFeed(*d.store, d.caller).size() == feed.size(), "a resend adds no change");
}

void pull(District& d, const std::optional<std::string>& since, const std::optional<std::string>& limit) {
    auto query = decodePullQuery(since, limit);
    if (!query) return;  // 400
    const auto cursor = decodeCursor(query->since);
    require(cursor.has_value(), "a decoded query's since is a cursor");
    auto page = d.store->pull(d.caller, *cursor, query->limit);
    require(page.ok(), "a pull is served without a storage error");
    if (page->reset) return;  // 410
    require(page->changes.size() <= size_t(query->limit), "a page holds at most limit changes");
    const std::string body =
        encodePullResponse(page->changes, page->next, page->more, kNowMs, d.caller.kioskId, d.caller.commune);
    auto decoded = decodePullResponse(body);
    require(decoded.ok(), "the server's pull page decodes");
    require(decoded->changes.size() == page->changes.size(), "every change survives encoding");
    require(decodeCursor(decoded->next).has_value(), "next is a cursor");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = fuzz::split(fuzz::asText(data, size));
    auto request = decodePushRequest(parts[0]);
    static const Scratch scratch;
    District d = scratch.fresh();
    // The server answers 403 to a push naming another kiosk than the token's, before judging it.
    if (request && (request->kioskId.empty() || request->kioskId == d.caller.kioskId)) push(d, *request);
    std::optional<std::string> since, limit;
    if (parts.size() > 1) since = std::string(parts[1]);
    if (parts.size() > 2) limit = std::string(parts[2]);
    pull(d, since, limit);
    return 0;
}
