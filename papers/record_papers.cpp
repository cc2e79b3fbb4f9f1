#include "papers/record_papers.h"

#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <utf8proc.h>

#include "core/deadlines.h"
#include "core/receipt_code.h"
#include "core/text.h"

namespace kiosk::papers {
namespace {

constexpr std::array<std::string_view, 5> kSlugs{"slip", "receipt-form", "petition", "supplement", "apology"};
constexpr std::array<std::string_view, 10> kBlocks{"columns", "title", "subtitle",   "paragraph", "row",
                                                   "code",    "qr",    "signatures", "space",     "rule"};

std::vector<std::string> splitOn(const std::string& text, char separator) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) out.push_back(part);
    return out;
}

std::string upper(const std::string& text) {
    std::string out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) break;
        utf8proc_uint8_t buf[4];
        const utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(cp), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(m));
        p += n;
        left -= n;
    }
    return out;
}

std::string twoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Whether this paper may carry the citizen's name, ID, phone and address (docs/security.md
// "Papers"): never the slip; a denouncer's only on the petition an officer asked for.
bool mayShowIdentity(PaperKind kind, const PaperInput& input) {
    if (kind == PaperKind::Slip) return false;
    const bool denunciation =
        input.record.kind == RecordKind::Petition && input.record.petitionKind == PetitionKind::Denunciation;
    return !denunciation || (kind == PaperKind::Petition && input.officerRequested);
}

using Fields = std::map<std::string, std::string, std::less<>>;

Fields fieldsFor(PaperKind kind, const PaperInput& in, const Strings& strings) {
    const Record& r = in.record;
    const Lang lang = in.lang;
    const bool dossier = r.kind == RecordKind::Dossier;
    const std::string kindName =
        dossier ? in.procedureName : std::string(displayName(r.petitionKind, lang == Lang::En));
    const std::string due = hasDue(r) ? paperDate(r.due) : strings.get("papers.due.none", lang);
    const std::string nextKey =
        std::string(hasDue(r) ? "papers.next.due" : "papers.next.none") + (dossier ? ".dossier" : "");
    Fields f{
        {"code", formatReceiptCode(r.code)},
        {"code_digits", r.code},
        {"official_code", r.officialCode},
        {"kind", kindName},
        {"kind_upper", upper(kindName)},
        {"procedure", in.procedureName},
        {"received_on", paperDate(r.receivedOn)},
        {"due", due},
        {"next", strings.format(nextKey, lang, {paperDate(r.due)})},
        {"commune", in.communeName},
        {"commune_in_sentence", unitNameMidSentence(in.communeName)},
        {"commune_upper", upper(in.communeName)},
        {"desk_upper", upper(strings.get("papers.desk", lang))},
        {"place_date", strings.format("papers.place_date.format", lang,
                                      {in.communeName, twoDigits(in.today.day), twoDigits(in.today.month),
                                       std::to_string(in.today.year)})},
        {"today", paperDate(in.today)},
        {"content", r.content},
        {"pin", in.pin.value_or("")},
        {"documents", in.documents},
        {"note", r.resultNote},
        {"new_due", in.newDue ? paperDate(*in.newDue) : std::string()},
    };
    if (mayShowIdentity(kind, in)) {
        f["name"] = r.identity.name;
        f["cccd"] = r.identity.cccd;
        f["phone"] = r.identity.phone;
        f["address"] = r.identity.address;
    }
    return f;
}

// The value of a field for a line: "" with skip set when the field ends in "?" and is empty; a
// dotted line to fill by hand when any other field is empty.
std::string fieldValue(const Fields& fields, std::string name, bool& skip, const Strings& strings,
                       Lang lang) {
    const bool optional = !name.empty() && name.back() == '?';
    if (optional) name.pop_back();
    auto it = fields.find(name);
    const std::string value = it == fields.end() ? std::string() : it->second;
    if (!value.empty()) return value;
    if (optional) skip = true;
    return optional ? std::string() : strings.get("papers.dotted", lang);
}

// The text key for this record: KEY.dossier for a dossier when the words have it. The due date's
// label is the record's kind of deadline, in the words the screens use (deadline.*).
std::string textFor(const std::string& key, const PaperInput& in, const Strings& strings) {
    if (key == "papers.due")
        return strings.get("deadline." + std::string(toSlug(deadlineKind(in.record))), in.lang);
    if (in.record.kind == RecordKind::Dossier && strings.contains(key + ".dossier"))
        return strings.get(key + ".dossier", in.lang);
    return strings.get(key, in.lang);
}

void addLine(Paper& paper, const FormLine& line, const PaperInput& in, const Fields& fields,
             const Strings& strings) {
    bool skip = false;
    std::vector<std::string> values;
    for (const std::string& field : line.fields)
        values.push_back(fieldValue(fields, field, skip, strings, in.lang));
    if (skip) return;
    auto text = [&](size_t i) {
        if (i >= line.texts.size()) return std::string();
        const std::string pattern = textFor(line.texts[i], in, strings);
        std::string out = pattern;
        for (size_t v = 0; v < values.size(); ++v) {
            const std::string mark = "{" + std::to_string(v) + "}";
            for (size_t at = out.find(mark); at != std::string::npos;
                 at = out.find(mark, at + values[v].size()))
                out.replace(at, mark.size(), values[v]);
        }
        return out;
    };
    const std::string first = values.empty() ? std::string() : values.front();
    const std::string& b = line.block;
    if (b == "columns")
        paper.columns(text(0), text(1));
    else if (b == "title")
        paper.title(text(0));
    else if (b == "subtitle")
        paper.subtitle(text(0));
    else if (b == "paragraph")
        paper.paragraph(text(0));
    else if (b == "row")
        paper.row(text(0), first);
    else if (b == "code")
        paper.code(first);
    else if (b == "qr")
        paper.qr(first, in.size == PageSize::Roll80 ? 32 : 28);
    else if (b == "space")
        paper.space(line.fields.empty() ? 3 : std::stod(line.fields.front()));
    else if (b == "rule")
        paper.rule();
    else if (b == "signatures") {
        std::vector<std::string> captions;
        for (size_t i = 0; i < line.texts.size(); ++i) captions.push_back(text(i));
        paper.signatures(std::move(captions), in.size == PageSize::Roll80 ? 20 : 30);
    }
}

}  // namespace

std::string_view toSlug(PaperKind kind) { return kSlugs[static_cast<size_t>(kind)]; }

std::optional<PaperKind> paperKindFromSlug(std::string_view slug) {
    for (size_t i = 0; i < kSlugs.size(); ++i)
        if (kSlugs[i] == slug) return static_cast<PaperKind>(i);
    return std::nullopt;
}

std::string paperDate(const Date& date) {
    return twoDigits(date.day) + "/" + twoDigits(date.month) + "/" + std::to_string(date.year);
}

Result<PaperForms> PaperForms::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("file.read", "Không đọc được " + path.string(), "Could not read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    auto forms = parse(text.str());
    if (!forms) {
        Error e = forms.error();
        e.vi = path.string() + ": " + e.vi;
        e.en = path.string() + ": " + e.en;
        return e;
    }
    return forms;
}

Result<PaperForms> PaperForms::parse(const std::string& text) {
    PaperForms forms;
    forms.m_forms.resize(kSlugs.size());
    std::istringstream in(text);
    int number = 0;
    bool header = true;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        if (header) {  // the column names
            header = false;
            continue;
        }
        std::vector<std::string> cols = splitOn(line, '\t');
        cols.resize(std::max<size_t>(cols.size(), 4));
        const auto kind = paperKindFromSlug(cols[0]);
        bool knownBlock = false;
        for (std::string_view b : kBlocks) knownBlock = knownBlock || b == cols[1];
        if (!kind || !knownBlock) {
            const std::string where = "line " + std::to_string(number);
            return makeError("paper.form", "Dòng " + std::to_string(number) + ": giấy hoặc khối không rõ",
                             where + ": unknown form or block");
        }
        forms.m_forms[static_cast<size_t>(*kind)].push_back(
            {cols[1], splitOn(cols[2], '|'), splitOn(cols[3], ',')});
    }
    return forms;
}

const std::vector<FormLine>& PaperForms::lines(PaperKind kind) const {
    static const std::vector<FormLine> kNone;
    const size_t i = static_cast<size_t>(kind);
    return i < m_forms.size() ? m_forms[i] : kNone;
}

Result<Paper> buildPaper(PaperKind kind, const PaperInput& input, const PaperForms& forms,
                         const Strings& strings) {
    const bool dossierOnly =
        kind == PaperKind::ReceiptForm || kind == PaperKind::Supplement || kind == PaperKind::Apology;
    if ((dossierOnly && input.record.kind != RecordKind::Dossier) ||
        (kind == PaperKind::Petition && input.record.kind != RecordKind::Petition))
        return makeError("paper.kind", "Giấy này không dùng cho loại hồ sơ này.",
                         "This paper does not apply to this kind of record.");
    const Fields fields = fieldsFor(kind, input, strings);
    Paper paper(input.size, strings.format("papers.doc." + std::string(toSlug(kind)), input.lang,
                                           {formatReceiptCode(input.record.code)}));
    for (const FormLine& line : forms.lines(kind)) addLine(paper, line, input, fields, strings);
    return paper;
}

}  // namespace kiosk::papers
