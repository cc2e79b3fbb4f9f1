#pragma once
// Petitions received on paper at the server (tiếp nhận đơn trực tiếp hoặc qua bưu chính): the
// officer types what the letter or the citizen gives, and the petition becomes a record of the
// server's own, judged by the same core rules as a kiosk's (docs/domain.md "Petitions received at
// the server").
//
// It is: one Submit event by a district officer, with a receipt code of the server's own series
// (core/receipt_code.h kServerIntakeCommune: never a kiosk's), the citizen's identity and the
// summary sealed to the district's key exactly as a kiosk seals them (never stored in clear), and
// the record, the event, a change feed row and an `intakes` row (channel, officer, the citizens'
// commune) written in ONE transaction. Its deadlines come from kiosk::applyEvent: the legal date of
// receipt is the date given under the office-hours rule.
// It is not: HTTP or the command line (district/cli/intake_command.h, the dashboard's office API).
// Free functions on a DistrictStore, one per thread; safe beside a running server.
#include <cstdint>
#include <optional>
#include <string>

#include "core/calendar.h"
#include "core/deadlines.h"
#include "core/event.h"
#include "core/records.h"
#include "core/reference_data.h"
#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

enum class IntakeChannel { Post, InPerson };     // qua bưu chính / trực tiếp
std::string_view toSlug(IntakeChannel channel);  // "post" | "in-person"
std::optional<IntakeChannel> intakeChannelFromSlug(std::string_view slug);

struct PaperIntake {
    std::string officerId;  // a district officer who may act on records
    std::string kind;       // petition kind slug: khieu-nai | to-cao | kien-nghi | phan-anh
    std::string channel;    // "post" | "in-person"
    Date received;          // the day the letter arrived or the citizen came; not in the future
    std::string commune;    // optional: the citizens' commune (a listed commune code)
    std::string name;       // required for khiếu nại and tố cáo, as at a kiosk
    std::string cccd;       // optional, checked when given
    std::string phone;      // optional (a letter may give none), checked when given
    std::string address;    // optional
    std::string summary;    // optional: what the petition is about, ≤ 10000 code points
};

struct IntakeResult {
    Record record;  // as stored (identity and summary not kept: they are sealed)
    Event event;
};

// Errors, all leaving nothing changed: "officer.unknown" / "officer.disabled" / "officer.role",
// "intake.kind", "intake.channel", "intake.date", "intake.commune", the field checks' own
// ("name.*", "cccd.*", "phone.*", "address.*", "content.*"), "keys.*" (the district's key cannot be
// made or read), "db.*".
Result<IntakeResult> registerPaperIntake(DistrictStore& store, const PaperIntake& intake,
                                         const ReferenceData& reference, const DeadlineRules& rules,
                                         int64_t nowMs);

}  // namespace kiosk::district
