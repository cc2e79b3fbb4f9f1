#include "sync/protocol/messages.h"

#include <cstring>
#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "sync/protocol/message_fields.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::protocol {

using nlohmann::json;
using namespace detail;

namespace {

// [SECTION] the direct reader of pull pages and push requests
//
// A pull page is most of what a kiosk reads (1000 changes, each with its events), and building
// nlohmann's tree of it and then copying out of the tree was a third of a pull's CPU
// (docs/benchmarks.md). MessageReader reads the page's JSON text straight into the structs, and a
// push request the same way (the district reads one per push). It is a fast path only: it gives up
// (returns false) on anything it does not expect — a key out of the order the writer uses, a
// duplicate key, a number with a fraction or more than 18 digits, a \u escape of a surrogate, a
// wrong type, a value the checks would refuse — and decodePullResponse / decodePushRequest then
// decode the same text through the tree (decodePullResponseFromTree, decodePushRequestFromTree),
// which has the final word on every error. So where the fast path succeeds the result is the
// tree's; the tests and the fuzzers (fuzz/pull_fuzz.cpp, fuzz/push_fuzz.cpp) compare the two.
class MessageReader {
public:
    explicit MessageReader(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    bool page(PullResponse& out);
    bool pushRequest(PushRequest& out);

private:
    bool giveUp() { return false; }

    void skipSpace() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
    }
    char peek() {
        skipSpace();
        return m_p < m_end ? *m_p : '\0';
    }
    bool consume(char c) {
        if (peek() != c) return false;
        ++m_p;
        return true;
    }

    // A JSON string into out (decoded). The text was checked to be UTF-8 before.
    bool string(std::string& out) {
        if (!consume('"')) return giveUp();
        out.clear();
        while (true) {
            const char* run = m_p;
            while (m_p < m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20)
                ++m_p;
            out.append(run, m_p);
            if (m_p >= m_end || static_cast<unsigned char>(*m_p) < 0x20) return giveUp();
            if (*m_p == '"') {
                ++m_p;
                return true;
            }
            if (m_end - m_p < 2) return giveUp();
            const char escape = m_p[1];
            m_p += 2;
            switch (escape) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    if (m_end - m_p < 4) return giveUp();
                    unsigned code = 0;
                    for (int i = 0; i < 4; ++i) {
                        const char h = m_p[i];
                        code <<= 4;
                        if (h >= '0' && h <= '9')
                            code |= unsigned(h - '0');
                        else if (h >= 'a' && h <= 'f')
                            code |= unsigned(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F')
                            code |= unsigned(h - 'A' + 10);
                        else
                            return giveUp();
                    }
                    m_p += 4;
                    if (code >= 0xD800 && code <= 0xDFFF) return giveUp();  // pairs: the tree's job
                    if (code < 0x80) {
                        out += char(code);
                    } else if (code < 0x800) {
                        out += char(0xC0 | (code >> 6));
                        out += char(0x80 | (code & 0x3F));
                    } else {
                        out += char(0xE0 | (code >> 12));
                        out += char(0x80 | ((code >> 6) & 0x3F));
                        out += char(0x80 | (code & 0x3F));
                    }
                    break;
                }
                default:
                    return giveUp();
            }
        }
    }

    // An integer without fraction or exponent, at most 18 digits (so it fits either way nlohmann
    // would store it). negative says whether it had a minus sign ("-0" is left to the tree).
    bool integer(int64_t& out, bool& negative) {
        skipSpace();
        negative = m_p < m_end && *m_p == '-';
        if (negative) ++m_p;
        const char* digits = m_p;
        int64_t value = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            if (m_p - digits >= 18) return giveUp();  // a 19th digit: value * 10 could overflow
            value = value * 10 + (*m_p++ - '0');
        }
        const ptrdiff_t count = m_p - digits;
        if (count == 0 || count > 18 || (count > 1 && *digits == '0')) return giveUp();
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E')) return giveUp();
        if (negative && value == 0) return giveUp();
        out = negative ? -value : value;
        return true;
    }
    bool integer(int64_t& out) {
        bool negative = false;
        return integer(out, negative);
    }

    bool literal(std::string_view word) {
        skipSpace();
        if (size_t(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word) return giveUp();
        m_p += word.size();
        return true;
    }
    bool boolean(bool& out) {
        const char c = peek();
        if (c == 't') return (out = true, literal("true"));
        if (c == 'f') return (out = false, literal("false"));
        return giveUp();
    }

    // An object at nesting depth `depth`: member(key) is called with the reader at each value and
    // must read it whole.
    template <class Member>
    bool object(int depth, Member&& member) {
        if (depth > kMaxJsonDepth || !consume('{')) return giveUp();
        if (consume('}')) return true;
        std::string key;
        while (true) {
            if (!string(key) || !consume(':') || !member(key)) return giveUp();
            if (consume(',')) continue;
            return consume('}');
        }
    }
    template <class Element>
    bool array(int depth, Element&& element) {
        if (depth > kMaxJsonDepth || !consume('[')) return giveUp();
        if (consume(']')) return true;
        while (true) {
            if (!element()) return giveUp();
            if (consume(',')) continue;
            return consume(']');
        }
    }

    // Any value, as nlohmann's parser would build it (a later duplicate key wins, as there).
    bool value(json& out, int depth) {
        switch (peek()) {
            case '{': {
                out = json::object();
                auto& members = out.get_ref<json::object_t&>();
                return object(depth, [&](const std::string& key) {
                    json member;
                    if (!value(member, depth + 1)) return false;
                    members[key] = std::move(member);
                    return true;
                });
            }
            case '[': {
                out = json::array();
                auto& elements = out.get_ref<json::array_t&>();
                return array(depth, [&] {
                    elements.emplace_back();
                    return value(elements.back(), depth + 1);
                });
            }
            case '"': {
                std::string text;
                if (!string(text)) return false;
                out = std::move(text);
                return true;
            }
            case 't':
                return (out = true, literal("true"));
            case 'f':
                return (out = false, literal("false"));
            case 'n':
                return (out = nullptr, literal("null"));
            default: {
                int64_t n = 0;
                bool negative = false;
                if (!integer(n, negative)) return false;
                if (negative)
                    out = n;
                else
                    out = uint64_t(n);
                return true;
            }
        }
    }
    bool skip(int depth) {
        json ignored;
        return value(ignored, depth);
    }

    // Each key once: a duplicate is left to the tree.
    static bool once(uint32_t& seen, uint32_t bit) {
        if (seen & bit) return false;
        seen |= bit;
        return true;
    }

    bool shortString(std::string& out, size_t maxLength) { return string(out) && out.size() <= maxLength; }

    bool reason(Error& out, int depth);
    bool snapshot(RecordSnapshot& out, int depth);
    bool event(Event& out, int depth);
    bool change(Change& out, int depth);
    bool typedChange(Change& out, int depth);

    const char* m_p;
    const char* m_end;
};

bool MessageReader::reason(Error& out, int depth) {
    uint32_t seen = 0;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "code") return once(seen, 1) && string(out.code);
        if (key == "vi") return once(seen, 2) && string(out.vi);
        if (key == "en") return once(seen, 4) && string(out.en);
        return skip(depth + 1);
    });
    return ok && (seen & 1);
}

bool MessageReader::snapshot(RecordSnapshot& s, int depth) {
    uint32_t seen = 0;
    std::string text;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "code") return once(seen, 1) && shortString(s.code, 64);
        if (key == "kind") {
            if (!once(seen, 2) || !string(text)) return false;
            auto kind = recordKindFromSlug(text);
            if (!kind) return false;
            s.kind = *kind;
            return true;
        }
        if (key == "status") {
            if (!once(seen, 4) || !string(text)) return false;
            auto status = statusFromSlug(text);
            if (!status) return false;
            s.status = *status;
            return true;
        }
        if (key == "due") {
            if (!once(seen, 8) || !string(text)) return false;
            auto due = text.empty() ? std::optional<Date>(kNoDate) : Date::parse(std::string(text));
            if (!due) return false;
            s.due = *due;
            return true;
        }
        if (key == "received_on") {
            if (!once(seen, 16) || !string(text)) return false;
            auto received = Date::parse(text);
            if (!received) return false;
            s.receivedOn = *received;
            return true;
        }
        if (key == "official_code") return once(seen, 32) && string(s.officialCode);
        if (key == "commune") return once(seen, 64) && string(s.commune);
        if (key == "petition_kind") return once(seen, 128) && string(s.petitionKind);
        if (key == "procedure") return once(seen, 256) && string(s.procedure);
        if (key == "result_note") return once(seen, 512) && string(s.resultNote);
        if (key == "submitted_at") return once(seen, 1024) && integer(s.submittedAt);
        if (key == "complex") return once(seen, 2048) && boolean(s.complex);
        if (key == "extensions") {
            int64_t n = 0;
            if (!once(seen, 4096) || !integer(n) || n < 0 || n > 100) return false;
            s.extensions = int(n);
            return true;
        }
        return skip(depth + 1);
    });
    return ok && (seen & 15) == 15;
}

bool MessageReader::event(Event& e, int depth) {
    uint32_t seen = 0;
    std::string text;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "uuid") return once(seen, 1) && string(e.uuid) && isUuid(e.uuid);
        if (key == "record")
            return once(seen, 2) && string(e.recordCode) && !e.recordCode.empty() &&
                   e.recordCode.size() <= 64;
        if (key == "record_kind") {
            if (!once(seen, 4) || !string(text)) return false;
            auto kind = recordKindFromSlug(text);
            if (!kind) return false;
            e.recordKind = *kind;
            return true;
        }
        if (key == "action") {
            if (!once(seen, 8) || !string(text)) return false;
            auto action = actionFromSlug(text);
            if (!action) return false;
            e.action = *action;
            return true;
        }
        if (key == "actor") {
            if (!once(seen, 16)) return false;
            uint32_t actorSeen = 0;
            const bool actorOk = object(depth + 1, [&](const std::string& actorKey) {
                if (actorKey == "role") {
                    if (!once(actorSeen, 1) || !string(text)) return false;
                    auto role = roleFromSlug(text);
                    if (!role) return false;
                    e.actor.role = *role;
                    return true;
                }
                if (actorKey == "id") return once(actorSeen, 2) && string(e.actor.id);
                return skip(depth + 2);
            });
            return actorOk && actorSeen == 3;
        }
        if (key == "hlc") {
            int64_t n = 0;
            bool negative = false;
            if (!once(seen, 32) || !integer(n, negative) || negative) return false;
            e.hlc = uint64_t(n);
            return true;
        }
        if (key == "at") return once(seen, 64) && integer(e.at);
        if (key == "payload") return once(seen, 128) && peek() == '{' && value(e.payload, depth + 1);
        if (key == "kiosk") return once(seen, 256) && string(e.kioskId);
        if (key == "seq") return once(seen, 512) && integer(e.seq);
        return skip(depth + 1);
    });
    return ok && (seen & 255) == 255;
}

bool MessageReader::change(Change& c, int depth) {
    const char* start = m_p;
    if (typedChange(c, depth)) return true;
    // Members in another order ("type" after those that depend on it, as in a rejection, whose
    // body nlohmann wrote with its keys sorted) or anything else typedChange does not take: this
    // change alone is read again as a tree, by the tree decoder's own changeFromJson.
    m_p = start;
    json tree;
    if (!value(tree, depth)) return false;
    auto read = changeFromJson(tree);
    if (!read) return false;
    c = std::move(*read);
    return true;
}

// A change with "seq" and "type" before the members that depend on the type, as the district
// writes a record change.
bool MessageReader::typedChange(Change& c, int depth) {
    uint32_t seen = 0;
    std::string type;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "seq") return once(seen, 1) && integer(c.seq) && c.seq >= 1;
        if (key == "type") {
            if (!once(seen, 2) || !string(type)) return false;
            if (type == "record")
                c.type = ChangeType::Record;
            else if (type == "rejection")
                c.type = ChangeType::Rejection;
            else if (type == "catalog")
                c.type = ChangeType::Catalog;
            else if (type == "holidays")
                c.type = ChangeType::Holidays;
            else if (type == "units")
                c.type = ChangeType::Units;
            else
                return false;
            return true;
        }
        const bool typed = seen & 2;
        if (key == "record") {
            if (!typed || !once(seen, 4)) return false;
            if (c.type == ChangeType::Record) return snapshot(c.record, depth + 1);
            if (c.type == ChangeType::Rejection) return string(c.recordCode);
            return skip(depth + 1);
        }
        if (key == "events") {
            if (!typed || !once(seen, 8)) return false;
            if (c.type != ChangeType::Record) return skip(depth + 1);
            return array(depth + 1, [&] {
                c.events.emplace_back();
                return event(c.events.back(), depth + 2);
            });
        }
        if (key == "uuid") {
            if (!typed || !once(seen, 16)) return false;
            return c.type == ChangeType::Rejection ? shortString(c.uuid, 64) : skip(depth + 1);
        }
        if (key == "reason") {
            if (!typed || !once(seen, 32)) return false;
            return c.type == ChangeType::Rejection ? reason(c.reason, depth + 1) : skip(depth + 1);
        }
        if (key == "procedures" || key == "holidays") {
            const bool wanted = (key == "procedures") == (c.type == ChangeType::Catalog) &&
                                (c.type == ChangeType::Catalog || c.type == ChangeType::Holidays);
            if (!typed || !once(seen, key == "procedures" ? 64 : 128)) return false;
            if (!wanted) return skip(depth + 1);
            return peek() == '[' && value(c.items, depth + 1);
        }
        if (key == "units" || key == "successions") {
            if (!typed || !once(seen, key == "units" ? 256 : 512)) return false;
            if (c.type != ChangeType::Units) return skip(depth + 1);
            return peek() == '[' && value(key == "units" ? c.items : c.successions, depth + 1);
        }
        return skip(depth + 1);
    });
    if (!ok || (seen & 3) != 3) return false;
    switch (c.type) {
        case ChangeType::Record:
            return seen & 4;
        case ChangeType::Rejection:
            return (seen & 16) && (seen & 32);
        case ChangeType::Catalog:
            return seen & 64;
        case ChangeType::Holidays:
            return seen & 128;
        case ChangeType::Units:
            return (seen & 256) && (seen & 512);
    }
    return false;
}

bool MessageReader::page(PullResponse& out) {
    uint32_t seen = 0;
    const bool ok = object(1, [&](const std::string& key) {
        if (key == "version") {
            int64_t version = 0;
            return once(seen, 1) && integer(version) && version == kVersion;
        }
        if (key == "changes") {
            if (!once(seen, 2)) return false;
            return array(2, [&] {
                out.changes.emplace_back();
                return change(out.changes.back(), 3);
            });
        }
        if (key == "next") return once(seen, 4) && shortString(out.next, 128);
        if (key == "more") return once(seen, 8) && boolean(out.more);
        if (key == "server_time_ms") return once(seen, 16) && integer(out.serverTimeMs);
        if (key == "kiosk") return once(seen, 32) && string(out.kioskId);
        if (key == "commune") return once(seen, 64) && string(out.commune);
        return skip(2);
    });
    skipSpace();
    return ok && m_p == m_end && (seen & 15) == 15;
}

// A push as kiosks write it ({"events", "heartbeat", "kiosk", "ratings", "receptions", "version"}). Gives
// up on an event eventFromJson would not read (the tree then says why), and on anything
// decodePushRequestFromTree refuses.
bool MessageReader::pushRequest(PushRequest& out) {
    uint32_t seen = 0;
    std::set<int64_t> seqs;
    constexpr int64_t kNoSeq = std::numeric_limits<int64_t>::min();  // integer() never gives it
    const bool ok = object(1, [&](const std::string& key) {
        if (key == "version") {
            int64_t version = 0;
            return once(seen, 1) && integer(version) && version == kVersion;
        }
        if (key == "kiosk") return once(seen, 2) && shortString(out.kioskId, 64);
        if (key == "events") {
            if (!once(seen, 4)) return false;
            return array(2, [&] {
                if (out.events.size() >= kMaxEventsPerPush) return false;
                Event e;
                e.seq = kNoSeq;
                if (!event(e, 3) || e.seq == kNoSeq || e.seq < 1 || !seqs.insert(e.seq).second) return false;
                PushedEvent& pushed = out.events.emplace_back();
                pushed.seq = e.seq;
                pushed.uuid = e.uuid;
                pushed.event = std::move(e);
                return true;
            });
        }
        if (key == "heartbeat") {
            json tree;
            if (!once(seen, 8) || !value(tree, 2)) return false;
            if (tree.is_null()) return true;
            auto heartbeat = heartbeatFromJson(tree);
            if (!heartbeat) return false;
            out.heartbeat = std::move(*heartbeat);
            return true;
        }
        if (key == "receptions") {
            json tree;
            if (!once(seen, 16) || !value(tree, 2)) return false;
            if (tree.is_null()) return true;
            if (!tree.is_array() || tree.size() > kMaxReceptionsPerPush) return false;
            for (const json& item : tree)
                if (auto r = receptionFromJson(item)) out.receptions.push_back(std::move(*r));
            return true;
        }
        if (key == "ratings") {
            json tree;
            if (!once(seen, 32) || !value(tree, 2)) return false;
            if (tree.is_null()) return true;
            return bool(readRatings(tree, out.ratings));
        }
        return skip(2);
    });
    skipSpace();
    return ok && m_p == m_end && (seen & 7) == 7;
}
}  // namespace

bool detail::readPullPageDirect(std::string_view body, PullResponse& out) {
    return MessageReader(body).page(out);
}

bool detail::readPushRequestDirect(std::string_view body, PushRequest& out) {
    return MessageReader(body).pushRequest(out);
}

}  // namespace kiosk::protocol
