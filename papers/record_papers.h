#pragma once
// The papers of a record: the citizen's slip after a petition or a dossier, the "Giấy tiếp nhận hồ
// sơ và hẹn trả kết quả", the petition (đơn) laid out for the citizen to sign, and the officer's
// request for more documents and apology for a late dossier. Which blocks each paper has, and in
// which order, is data (assets/paper_forms.tsv); the words are strings.tsv's "[papers]" block.
// What a paper may show of the citizen (docs/security.md "Papers"): the slip shows no identity at
// all; a denouncer's (tố cáo) identity is printed only on the petition itself, and only when the
// officer asked for it (PaperInput::officerRequested); every other paper of a tố cáo gets dotted
// lines where a name would be.
// It is not: drawing (layout.h) or printing (kiosk/printing). Threads: pure functions.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/records.h"
#include "core/strings.h"
#include "common/result.h"
#include "papers/layout.h"

namespace kiosk::papers {

enum class PaperKind {
    Slip,         // phiếu biên nhận: the code, the kind, the dates, what happens next
    ReceiptForm,  // giấy tiếp nhận hồ sơ và hẹn trả kết quả (dossiers)
    Petition,     // the đơn itself, for the citizen to sign at the counter
    Supplement,   // phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    Apology,      // phiếu xin lỗi và hẹn lại ngày trả kết quả
};
std::string_view toSlug(PaperKind kind);  // "slip" | "receipt-form" | "petition" | "supplement" | "apology"
std::optional<PaperKind> paperKindFromSlug(std::string_view slug);

// One line of assets/paper_forms.tsv.
struct FormLine {
    std::string block;  // columns, title, subtitle, paragraph, row, code, qr, signatures, space, rule
    std::vector<std::string> texts;   // keys of strings.tsv ("A|B" split)
    std::vector<std::string> fields;  // the value column split at commas
};

// The forms, read once (assets/paper_forms.tsv).
class PaperForms {
public:
    static Result<PaperForms> load(const std::filesystem::path& path);
    // Refuses an unknown form or block, a line with too few columns; the error names the line.
    static Result<PaperForms> parse(const std::string& text);
    const std::vector<FormLine>& lines(PaperKind kind) const;

private:
    std::vector<std::vector<FormLine>> m_forms;  // indexed by PaperKind
};

// What a paper is made of besides the forms and the words.
struct PaperInput {
    Record record;                   // identity and content as far as the caller could open them
    std::string communeName;         // "Thị trấn Tân Yên"
    std::string procedureName;       // dossiers: the catalog's name of the procedure
    std::string documents;           // dossiers: the documents handed over (the catalog's list)
    std::optional<std::string> pin;  // the citizen's 4-digit check PIN; printed only when set
    Date today;                      // the date written on the paper
    std::optional<Date> newDue;      // apology: the new appointment (dotted line when unset)
    bool officerRequested = false;   // the petition printed at an officer's request (tố cáo identity)
    PageSize size = PageSize::A5;
    Lang lang = Lang::Vi;
};

// The paper laid out. `strings` must have had setWords() ({desk}). Error paper.kind when the paper
// does not fit the record (a receipt form, supplement or apology of a petition).
Result<Paper> buildPaper(PaperKind kind, const PaperInput& input, const PaperForms& forms,
                         const Strings& strings);

// "05/12/2026".
std::string paperDate(const Date& date);

}  // namespace kiosk::papers
