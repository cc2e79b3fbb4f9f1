// Identity fields per petition kind, by date (identity_rules.h).
#include "core/identity_rules.h"

#include <sstream>

#include "core/reference_data.h"

namespace kiosk {

namespace {

Error rowError(int line, const std::string& vi, const std::string& en) {
    const std::string n = std::to_string(line);
    return makeError("assets.value", "Dòng " + n + ": " + vi, "Line " + n + ": " + en);
}

const char* fieldSlug(IdentityField field) {
    switch (field) {
        case IdentityField::Name:
            return "name";
        case IdentityField::Cccd:
            return "cccd";
        case IdentityField::Address:
            return "address";
    }
    return "name";
}

std::optional<std::set<IdentityField>> parseFields(const std::string& text) {
    std::set<IdentityField> fields;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (item == "name")
            fields.insert(IdentityField::Name);
        else if (item == "cccd")
            fields.insert(IdentityField::Cccd);
        else if (item == "address")
            fields.insert(IdentityField::Address);
        else if (!item.empty())
            return std::nullopt;
    }
    return fields;
}

std::string fieldsText(const std::set<IdentityField>& fields) {
    std::string out;
    for (IdentityField f : fields) out += (out.empty() ? "" : ",") + std::string(fieldSlug(f));
    return out;
}

}  // namespace

Result<IdentityRules> parsePetitionIdentity(const std::string& text) {
    auto table = parseTsv(text, {"slug", "identity", "identity_from", "identity_after"});
    if (!table) return table.error();
    const auto cell = [&](const TsvTable::Row& row, const char* column) -> const std::string& {
        return row.cells[static_cast<size_t>(table->column(column))];
    };
    IdentityRules rules;
    for (const auto& row : table->rows) {
        const auto kind = petitionKindFromSlug(cell(row, "slug"));
        if (!kind) continue;  // petition_kinds.tsv's own parser refuses an unknown slug
        const auto before = parseFields(cell(row, "identity"));
        const auto after = parseFields(cell(row, "identity_after"));
        if (!before || !after) {
            return rowError(row.line, "danh sách thông tin cần có chỉ gồm name, cccd, address.",
                            "the required fields are a list of name, cccd, address.");
        }
        IdentityRule rule{*before, std::nullopt, *after};
        if (const std::string& from = cell(row, "identity_from"); !from.empty()) {
            rule.from = Date::parse(from);
            if (!rule.from) {
                return rowError(row.line, "cột “identity_from” cần ngày YYYY-MM-DD hoặc để trống.",
                                "column “identity_from” needs a date YYYY-MM-DD or nothing.");
            }
        } else if (!after->empty()) {
            return rowError(row.line, "có “identity_after” thì phải có “identity_from”.",
                            "“identity_after” needs an “identity_from” date.");
        }
        if (!rules.emplace(*kind, std::move(rule)).second) {
            return rowError(row.line, "loại đơn này đã có dòng khác.",
                            "this petition kind already has a row.");
        }
    }
    for (PetitionKind kind : {PetitionKind::Complaint, PetitionKind::Denunciation,
                              PetitionKind::Recommendation, PetitionKind::Feedback}) {
        if (!rules.count(kind)) {
            return makeError("assets.value", "Thiếu dòng của loại đơn " + std::string(toSlug(kind)) + ".",
                             "The petition kind " + std::string(toSlug(kind)) + " has no row.");
        }
    }
    return rules;
}

std::string identityRulesToText(const IdentityRules& rules) {
    std::string out = "slug\tidentity\tidentity_from\tidentity_after\n";
    for (const auto& [kind, rule] : rules) {
        out += std::string(toSlug(kind)) + "\t" + fieldsText(rule.before) + "\t" +
               (rule.from ? rule.from->iso() : "") + "\t" + fieldsText(rule.after) + "\n";
    }
    return out;
}

IdentityRule defaultIdentityRule(PetitionKind kind) {
    if (identityRequired(kind))
        return IdentityRule{{IdentityField::Name, IdentityField::Cccd}, std::nullopt, {}};
    return IdentityRule{};
}

std::set<IdentityField> requiredIdentity(const IdentityRules& rules, PetitionKind kind, const Date& day) {
    const auto rule = rules.find(kind);
    return (rule != rules.end() ? rule->second : defaultIdentityRule(kind)).requiredOn(day);
}

}  // namespace kiosk
