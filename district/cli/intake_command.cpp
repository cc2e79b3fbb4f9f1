#include "district/cli/intake_command.h"

#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "core/receipt_code.h"
#include "core/reference_data.h"
#include "sync/protocol/safe_json.h"
#include "district/office/intake.h"
#include "district/office/reference_import.h"
#include "district/store/district_store.h"

namespace kiosk::district {
const std::set<std::string>& intakeValueOptions() {
    static const std::set<std::string> options{"channel", "received", "cccd", "phone", "address", "summary"};
    return options;
}

std::string intakeHelp(Lang lang) {
    if (lang == Lang::En)
        return "Usage: district-server intake --db FILE --officer ID --kind "
               "khieu-nai|to-cao|kien-nghi|phan-anh\n"
               "         --channel post|in-person --received YYYY-MM-DD [--commune CODE] [--name N] [--cccd "
               "C]\n"
               "         [--phone P] [--address A] [--summary TEXT] [--json]\n"
               "  Registers a petition received on paper at the server (by post or in person). It gets a\n"
               "  receipt code of the server's own series (starting 00000), its deadlines from the date of\n"
               "  receipt, and counts in the report. Name and CCCD are required for khieu-nai and to-cao;\n"
               "  the identity and summary are sealed to the server's key, never stored in clear.\n"
               "  stdout: the receipt code; --json: {\"code\", \"kind\", \"channel\", \"received_on\", "
               "\"due\"}\n";
    return "Cách dùng: district-server intake --db TỆP --officer MÃ --kind "
           "khieu-nai|to-cao|kien-nghi|phan-anh\n"
           "         --channel post|in-person --received YYYY-MM-DD [--commune MÃ_XÃ] [--name TÊN] [--cccd "
           "SỐ]\n"
           "         [--phone SĐT] [--address ĐỊA_CHỈ] [--summary NỘI_DUNG] [--json]\n"
           "  Vào sổ một đơn giấy máy chủ nhận qua bưu chính hoặc trực tiếp. Đơn được cấp mã biên nhận\n"
           "  riêng của máy chủ (bắt đầu bằng 00000), có thời hạn tính từ ngày nhận và được tính trong\n"
           "  báo cáo. Khiếu nại và tố cáo cần họ tên và số CCCD; thông tin người gửi và nội dung được\n"
           "  niêm phong bằng khoá của máy chủ, không lưu dạng đọc được. In ra: mã biên nhận.\n";
}

int runIntakeCommand(const DistrictCommandLine& cl) {
    if (!cl.positional.empty())
        return failCommand(cl, "Thừa đối số: " + cl.positional[0] + ".",
                           "Unexpected argument: " + cl.positional[0] + ".", common::kBadInput);
    const auto officer = cl.get("officer");
    const auto kind = cl.get("kind");
    const auto channel = cl.get("channel");
    const auto received = cl.get("received");
    if (!officer || !kind || !channel || !received)
        return failCommand(
            cl, "Cần --officer MÃ, --kind LOẠI, --channel post|in-person và --received YYYY-MM-DD.",
            "--officer ID, --kind K, --channel post|in-person and --received YYYY-MM-DD are required.",
            common::kBadInput);
    const auto date = Date::parse(*received);
    if (!date)
        return failCommand(cl, "--received phải là một ngày có thật dạng YYYY-MM-DD.",
                           "--received must be a real date written YYYY-MM-DD.", common::kBadInput);
    if (!districtDatabaseExists(cl.dbPath))
        return failCommand(cl, "Không có tệp dữ liệu " + cl.dbPath + ".", "No data file " + cl.dbPath + ".",
                           common::kBadInput);
    auto store = DistrictStore::open(cl.dbPath, false);
    if (!store) return failCommand(cl, store.error());
    auto reference = loadReferenceData(assetsDir());
    if (!reference) return failCommand(cl, reference.error().vi, reference.error().en, common::kInternal);
    if (auto ok = applyImportedReference(**store, *reference); !ok)
        return failCommand(cl, ok.error().vi, ok.error().en, common::kInternal);
    PaperIntake in;
    in.officerId = *officer;
    in.kind = *kind;
    in.channel = *channel;
    in.received = *date;
    in.commune = cl.get("commune").value_or("");
    in.name = cl.get("name").value_or("");
    in.cccd = cl.get("cccd").value_or("");
    in.phone = cl.get("phone").value_or("");
    in.address = cl.get("address").value_or("");
    in.summary = cl.get("summary").value_or("");
    auto done =
        registerPaperIntake(**store, in, *reference, reference->deadlineRules(), int64_t(wallClockMillis()));
    if (!done) return failCommand(cl, done.error());
    const Record& r = done->record;
    if (cl.json)
        std::cout << protocol::dumpJson({{"code", r.code},
                                         {"kind", toSlug(r.petitionKind)},
                                         {"channel", in.channel},
                                         {"status", toSlug(r.status)},
                                         {"received_on", r.receivedOn.iso()},
                                         {"due", r.due.iso()}})
                  << std::endl;
    else
        std::cout << r.code << std::endl;
    return common::kOk;
}

}  // namespace kiosk::district
