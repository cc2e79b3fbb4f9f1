#include "kiosk/app/print_hook.h"

#include <cstdio>

#include "core/reference_data.h"

namespace kiosk::app {

std::unique_ptr<printing::PrintQueue> startPrintQueue(const std::string& dbPath, const Strings& strings,
                                                      std::function<void()> wake) {
    auto forms = papers::PaperForms::load(assetsDir() / "paper_forms.tsv");
    if (!forms) {
        std::fprintf(stderr, "kiosk: %s\n", forms.error().vi.c_str());
        return nullptr;
    }
    auto resources = std::make_shared<const printing::PaperResources>(
        printing::PaperResources{std::move(*forms), strings});
    return std::make_unique<printing::PrintQueue>(dbPath, std::move(resources), std::move(wake));
}

}  // namespace kiosk::app
