// kioskctl rate: a citizen's satisfaction rating for scripts and tests, through the same use case as
// the window's rating buttons (StoreController::rate): no identity, one per record and stage.
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/rating.h"
#include "core/receipt_code.h"
#include "kiosk/cli/cli.h"

namespace kiosk::cli {

int cmdRate(Context& ctx) {
    if (ctx.args.positional.size() != 1)
        return ctx.fail("Cách dùng: kioskctl rate MÃ --value rat-hai-long|hai-long|khong-hai-long",
                        "Usage: kioskctl rate CODE --value rat-hai-long|hai-long|khong-hai-long");
    const auto value = ratingValueFromSlug(ctx.args.get("value").value_or(""));
    if (!value)
        return ctx.fail("Cần --value rat-hai-long, hai-long hoặc khong-hai-long.",
                        "--value must be rat-hai-long, hai-long or khong-hai-long.");
    const auto stage = ratingStageFromSlug(ctx.args.get("stage").value_or("receipt"));
    if (!stage)
        return ctx.fail("--stage phải là receipt hoặc finished.", "--stage must be receipt or finished.");
    std::string code = ctx.args.positional[0];
    if (!looksLikeOfficialCode(code)) {
        auto parsed = parseReceiptCode(code);  // the check digit catches typos before any lookup
        if (!parsed) return ctx.fail(parsed.error());
        code = parsed->digits;
    }
    const std::vector<std::string> criteria = splitCriteria(ctx.args.get("criteria").value_or(""));
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    if (auto ok = (*kiosk)->rate(code, *stage, *value, criteria); !ok)
        return ctx.fail(ok.error(), exitFor(ok.error()));
    if (ctx.json) {
        std::cout << nlohmann::json{{"code", code},
                                    {"stage", toSlug(*stage)},
                                    {"value", toSlug(*value)},
                                    {"criteria", criteria}}
                         .dump()
                  << "\n";
    } else {
        std::cout << ctx.say("Đã ghi đánh giá. Cảm ơn ông/bà!", "Rating recorded. Thank you!") << "\n";
    }
    return kOk;
}

}  // namespace kiosk::cli
