// Fuzzes the loaders of assets/ text (the district can replace holidays and the catalog, so these
// read text that came over the network): the first byte picks the parser, the rest is the file.
//   0 units.tsv  1 holidays/YYYY.tsv  2 procedures.tsv  3 petition_kinds.tsv
//   4 cccd_provinces.tsv  5 mobile_prefixes.tsv  6 strings.tsv  7 the bare TSV table
// Properties: no parser throws or crashes; text they return is valid UTF-8 in NFC; holidays come
// sorted; petition kinds come all four; every TSV row has one cell per header column; a strings
// table answers get() and format() for each of its keys.
#include "fuzz/fuzz_check.h"
#include "core/reference_data.h"
#include "core/strings.h"

using namespace kiosk;
using fuzz::require;
using fuzz::requireNfc;

namespace {

void checkError(const Error& error) {
    require(!error.code.empty() && !error.vi.empty() && !error.en.empty(),
            "a refusal has a code and both messages");
    requireNfc(error.vi, "the Vietnamese message is valid NFC");
}

template <class T>
bool accepted(const Result<T>& result) {
    if (!result) checkError(result.error());
    return result.ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string text(fuzz::asText(data + 1, size - 1));
    switch (data[0] % 8) {
        case 0: {
            auto units = parseUnits(text);
            if (!accepted(units)) break;
            for (const AdminUnit& u : *units) {
                requireNfc(u.code, "unit code is NFC");
                requireNfc(u.name, "unit name is NFC");
            }
            // Whatever the table says, the map's queries end: no cycle, no crash.
            const UnitMap map(*units, {});
            for (const AdminUnit& u : *units) (void)map.parentOn(u.code, Date{2025, 7, 1});
            (void)parseSuccessions(text, map);
            break;
        }
        case 1: {
            auto holidays = parseHolidays(text);
            if (!accepted(holidays)) break;
            for (size_t i = 0; i < holidays->size(); ++i) {
                requireNfc((*holidays)[i].name, "holiday name is NFC");
                if (i > 0) require((*holidays)[i - 1].date <= (*holidays)[i].date, "holidays are sorted");
            }
            break;
        }
        case 2: {
            auto procedures = parseProcedures(text);
            if (!accepted(procedures)) break;
            for (const Procedure& p : *procedures) {
                for (const std::string* s : {&p.code, &p.id, &p.name, &p.field, &p.processingTime, &p.fee,
                                             &p.documents, &p.where, &p.legalBasis})
                    requireNfc(*s, "procedure text is NFC");
                if (p.limit) require(p.limit->days >= 0, "a processing time is not negative");
            }
            break;
        }
        case 3: {
            auto kinds = parsePetitionKinds(text);
            if (!accepted(kinds)) break;
            require(kinds->size() == 4, "petition kinds come all four");
            break;
        }
        case 4: {
            auto provinces = parseCccdProvinces(text);
            if (!accepted(provinces)) break;
            for (const std::string& p : *provinces) requireNfc(p, "province code is NFC");
            break;
        }
        case 5: {
            auto prefixes = parseMobilePrefixes(text);
            if (!accepted(prefixes)) break;
            for (const std::string& p : *prefixes) requireNfc(p, "mobile prefix is NFC");
            break;
        }
        case 6: {
            auto strings = Strings::parse(text);
            if (!accepted(strings)) break;
            for (const std::string& key : strings->keys()) {
                require(strings->contains(key), "a listed key is contained");
                requireNfc(strings->get(key, Lang::Vi), "Vietnamese text is NFC");
                requireNfc(strings->get(key, Lang::En), "English text is NFC");
                (void)strings->format(key, Lang::Vi, {"a", "b"});
            }
            require(strings->missingKeys().empty(), "no key asked for was missing");
            break;
        }
        default: {
            auto table = parseTsv(text, {"code"});
            if (!accepted(table)) break;
            require(table->column("code") >= 0, "a required column is there");
            for (const auto& row : table->rows) {
                require(row.cells.size() == table->header.size(), "one cell per column");
                require(row.line > table->headerLine, "rows come after the header");
                for (const std::string& cell : row.cells) requireNfc(cell, "cells are NFC");
            }
            break;
        }
    }
    return 0;
}
