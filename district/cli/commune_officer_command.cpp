#include "district/cli/commune_officer_command.h"

#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "district/office/commune_officers.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {
namespace {

int list(const DistrictCommandLine& cl, DistrictStore& store) {
    auto officers = listCommuneOfficers(store, cl.get("commune").value_or(""));
    if (!officers) return failCommand(cl, officers.error());
    nlohmann::json out = nlohmann::json::array();
    for (const CommuneOfficer& o : *officers) {
        if (cl.json)
            out.push_back({{"commune", o.commune},
                           {"id", o.id},
                           {"name", o.name},
                           {"signing_key", o.signingKey},
                           {"disabled", o.disabled},
                           {"added_at_ms", o.addedAtMs}});
        else
            std::cout << o.commune << "\t" << o.id << "\t" << o.signingKey << "\t" << o.name
                      << (o.disabled ? "\tdisabled" : "") << "\n";
    }
    if (cl.json) std::cout << protocol::dumpJson(out) << std::endl;
    return common::kOk;
}

}  // namespace

std::string communeOfficerHelp(Lang lang) {
    if (lang == Lang::En)
        return "Usage: district-server commune-officer add --db FILE --commune CODE --id ID --signing-key "
               "KEY "
               "[--name N]\n"
               "       district-server commune-officer disable --db FILE --commune CODE --id ID\n"
               "       district-server commune-officer list --db FILE [--commune CODE] [--json]\n"
               "  A commune officer's actions pushed by the commune's kiosks are accepted only under a\n"
               "  signing key registered here (kioskctl officer add|reset-pin|list prints it). add again\n"
               "  after a PIN change registers the new key beside the old one; disable refuses them all.\n";
    return "Cách dùng: district-server commune-officer add --db TỆP --commune MÃ_XÃ --id MÃ --signing-key "
           "KHOÁ "
           "[--name TÊN]\n"
           "           district-server commune-officer disable --db TỆP --commune MÃ_XÃ --id MÃ\n"
           "           district-server commune-officer list --db TỆP [--commune MÃ_XÃ] [--json]\n"
           "  Máy chủ chỉ nhận thao tác của cán bộ xã gửi từ máy kiosk của xã khi có chữ ký bằng khoá\n"
           "  đăng ký ở đây (kioskctl officer add|reset-pin|list in khoá). Sau khi đổi mã PIN, chạy add\n"
           "  lại để đăng ký khoá mới bên cạnh khoá cũ; disable khoá mọi khoá của cán bộ.\n";
}

int runCommuneOfficerCommand(const DistrictCommandLine& cl) {
    const std::string sub = cl.positional.empty() ? "" : cl.positional[0];
    if ((sub != "add" && sub != "disable" && sub != "list") || cl.positional.size() > 1)
        return failCommand(cl, communeOfficerHelp(Lang::Vi), communeOfficerHelp(Lang::En), common::kBadInput);
    if (!districtDatabaseExists(cl.dbPath))
        return failCommand(cl, "Không có tệp dữ liệu " + cl.dbPath + ".", "No data file " + cl.dbPath + ".",
                           common::kBadInput);
    auto store = DistrictStore::open(cl.dbPath, false);
    if (!store) return failCommand(cl, store.error());
    if (sub == "list") return list(cl, **store);
    const auto commune = cl.get("commune");
    const auto id = cl.get("id");
    if (!commune || !id)
        return failCommand(cl, "Cần --commune MÃ_XÃ và --id MÃ_CÁN_BỘ.",
                           "--commune CODE and --id ID are required.", common::kBadInput);
    Outcome done;
    if (sub == "add") {
        const auto key = cl.get("signing-key");
        if (!key)
            return failCommand(cl, "Cần --signing-key KHOÁ.", "--signing-key KEY is required.",
                               common::kBadInput);
        done = addCommuneOfficer(**store, {*commune, *id, *key, cl.get("name").value_or(""), false, 0},
                                 int64_t(wallClockMillis()));
    } else {
        done = disableCommuneOfficer(**store, *commune, *id);
    }
    if (!done) return failCommand(cl, done.error());
    return common::kOk;
}

}  // namespace kiosk::district
