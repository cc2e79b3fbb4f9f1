#pragma once
// Which identity fields a petition kind requires, and from when: data in assets/petition_kinds.tsv
// (columns identity, identity_from, identity_after), because the law changes them by date — from
// 1 July 2026 (Luật 136/2025/QH15) people who complain or denounce give their name, address and số
// định danh cá nhân (docs/domain.md, "Identity per petition kind"). validatePetition() asks
// requiredOn() for the day a petition is taken. Pure; any thread.
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/calendar.h"
#include "core/records.h"
#include "common/result.h"

namespace kiosk {

enum class IdentityField { Name, Cccd, Address };

struct IdentityRule {
    std::set<IdentityField> before;  // required before `from` (always, when from is nullopt)
    std::optional<Date> from;        // first day of `after`
    std::set<IdentityField> after;   // required from `from` on

    const std::set<IdentityField>& requiredOn(const Date& day) const {
        return from && *from <= day ? after : before;
    }
};
using IdentityRules = std::map<PetitionKind, IdentityRule>;

// The columns slug, identity, identity_from, identity_after of petition_kinds.tsv (other columns
// ignored): identity and identity_after are comma-separated lists of name, cccd, address (empty:
// none); identity_from is a date or empty (then identity_after must be empty too). Every kind must
// have a row. The error names the line.
Result<IdentityRules> parsePetitionIdentity(const std::string& text);
// The same table written back, four columns only (how a kiosk keeps the rules it was set up with).
std::string identityRulesToText(const IdentityRules& rules);

// The rule as it stood before the rules were data: name and CCCD for khiếu nại and tố cáo (an
// anonymous tố cáo is not processed, Luật Tố cáo 2018 Điều 25), nothing for the others.
IdentityRule defaultIdentityRule(PetitionKind kind);
// What `kind` requires on `day`: its rule in `rules`, or defaultIdentityRule() when it has none.
std::set<IdentityField> requiredIdentity(const IdentityRules& rules, PetitionKind kind, const Date& day);

}  // namespace kiosk
