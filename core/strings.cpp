// UI strings from assets/strings.tsv (strings.h). The table format is the one every assets file
// uses (parseTsv in reference_data.h).
#include "core/strings.h"

#include <fstream>
#include <mutex>
#include <sstream>

#include "core/reference_data.h"

namespace kiosk {

struct Strings::Missing {
    std::mutex mutex;
    std::set<std::string, std::less<>> keys;  // std::set nodes never move: get() returns into it
};

namespace {

Error lineError(const std::string& code, int line, const std::string& vi, const std::string& en) {
    const std::string n = std::to_string(line);
    return makeError(code, "Dòng " + n + ": " + vi, "Line " + n + ": " + en);
}

bool validKey(const std::string& key) {
    if (key.empty() || key.size() > 128) return false;
    for (char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

// "\n" -> line break, "\t" -> tab, "\\" -> backslash; any other backslash stays as written.
std::string unescape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[i + 1];
            if (next == 'n' || next == 't' || next == '\\') {
                out += next == 'n' ? '\n' : next == 't' ? '\t' : '\\';
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

}  // namespace

Strings::Strings() : m_missing(std::make_shared<Missing>()) {}

Result<Strings> Strings::parse(const std::string& text) {
    auto table = parseTsv(text, {"key", "vi", "en"});
    if (!table) return table.error();
    const int keyColumn = table->column("key");
    const int viColumn = table->column("vi");
    const int enColumn = table->column("en");
    Strings strings;
    std::map<std::string, int> lines;
    for (const auto& row : table->rows) {
        const std::string& key = row.cells[static_cast<size_t>(keyColumn)];
        if (!validKey(key)) {
            return lineError("strings.key", row.line,
                             "khóa không hợp lệ (chỉ dùng chữ không dấu, chữ số, “.”, “_”, “-”).",
                             "invalid key (use ASCII letters, digits, “.”, “_”, “-” only).");
        }
        Texts texts{unescape(row.cells[static_cast<size_t>(viColumn)]),
                    unescape(row.cells[static_cast<size_t>(enColumn)])};
        if (texts.vi.empty() || texts.en.empty()) {
            return lineError("strings.empty", row.line,
                             "khóa “" + key + "” thiếu bản tiếng Việt hoặc tiếng Anh.",
                             "key “" + key + "” lacks its Vietnamese or English text.");
        }
        if (auto [it, inserted] = lines.emplace(key, row.line); !inserted) {
            return lineError("strings.duplicate", row.line,
                             "khóa “" + key + "” đã có ở dòng " + std::to_string(it->second) + ".",
                             "key “" + key + "” already appears on line " + std::to_string(it->second) + ".");
        }
        strings.m_texts.emplace(key, texts);
        strings.m_patterns.emplace(key, std::move(texts));
    }
    return strings;
}

Result<Strings> Strings::load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError("strings.io", "Không đọc được tệp " + path.string() + ".",
                         "Cannot read file " + path.string() + ".");
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse(text.str());
    if (!parsed) {
        const Error& e = parsed.error();
        const std::string name = path.filename().string();
        return makeError(e.code, "Tệp " + name + " — " + e.vi, "File " + name + " — " + e.en);
    }
    return parsed;
}

const std::string& Strings::get(const std::string& key, Lang lang) const {
    if (auto it = m_texts.find(key); it != m_texts.end()) {
        return lang == Lang::En ? it->second.en : it->second.vi;
    }
    // Returning `key` itself would dangle when the caller passed a temporary; keep a copy.
    std::lock_guard lock(m_missing->mutex);
    return *m_missing->keys.insert(key).first;
}

std::string Strings::format(const std::string& key, Lang lang,
                            std::initializer_list<std::string> args) const {
    return kiosk::format(get(key, lang), args);
}

void Strings::setWords(const WordMap& words) {
    for (const auto& [key, pattern] : m_patterns) {
        Texts& texts = m_texts[key];
        texts.vi = fillWords(pattern.vi, words, Lang::Vi);
        texts.en = fillWords(pattern.en, words, Lang::En);
    }
}

const std::string& Strings::pattern(const std::string& key, Lang lang) const {
    if (auto it = m_patterns.find(key); it != m_patterns.end()) {
        return lang == Lang::En ? it->second.en : it->second.vi;
    }
    return get(key, lang);
}

bool Strings::contains(const std::string& key) const { return m_texts.count(key) != 0; }

std::vector<std::string> Strings::keys() const {
    std::vector<std::string> out;
    out.reserve(m_texts.size());
    for (const auto& [key, texts] : m_texts) out.push_back(key);
    return out;
}

std::vector<std::string> Strings::allTexts() const {
    std::vector<std::string> out;
    out.reserve(2 * m_texts.size());
    for (const auto& [key, texts] : m_texts) {
        out.push_back(texts.vi);
        out.push_back(texts.en);
    }
    return out;
}

std::vector<std::string> Strings::missingKeys() const {
    std::lock_guard lock(m_missing->mutex);
    return {m_missing->keys.begin(), m_missing->keys.end()};
}

std::string format(const std::string& pattern, std::initializer_list<std::string> args) {
    std::string out;
    out.reserve(pattern.size());
    size_t i = 0;
    while (i < pattern.size()) {
        if (pattern[i] == '{') {
            size_t j = i + 1;
            size_t index = 0;
            bool digits = false;
            while (j < pattern.size() && j - i <= 3 && pattern[j] >= '0' && pattern[j] <= '9') {
                index = index * 10 + static_cast<size_t>(pattern[j] - '0');
                digits = true;
                ++j;
            }
            if (digits && j < pattern.size() && pattern[j] == '}' && index < args.size()) {
                out += *(args.begin() + index);
                i = j + 1;
                continue;
            }
        }
        out += pattern[i];
        ++i;
    }
    return out;
}

std::string fillWords(const std::string& pattern, const Strings::WordMap& words, Lang lang) {
    std::string out;
    out.reserve(pattern.size());
    size_t i = 0;
    while (i < pattern.size()) {
        const size_t close = pattern[i] == '{' ? pattern.find('}', i + 1) : std::string::npos;
        if (close != std::string::npos && close - i <= 64 && pattern[i + 1] >= 'a' && pattern[i + 1] <= 'z') {
            const std::string_view name(pattern.data() + i + 1, close - i - 1);
            if (auto it = words.find(name); it != words.end()) {
                out += lang == Lang::En ? it->second.en : it->second.vi;
                i = close + 1;
                continue;
            }
        }
        out += pattern[i];
        ++i;
    }
    return out;
}

}  // namespace kiosk
