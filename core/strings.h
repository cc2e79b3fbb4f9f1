#pragma once
// The UI's words: every text the kiosk screens, the officer console and kioskctl show, in
// Vietnamese and English, loaded from assets/strings.tsv (columns key, vi, en; \n in a text is a
// line break; {0} {1} … are filled by format(); named placeholders such as {unit.top} and {desk} are
// the deployment's words, filled by setWords() — core/deployment_words.h). Not a translation engine: no plurals, no fallback
// language — both texts are required for every key, and the loader refuses a file that lacks one.
// A key the program asks for and the file lacks comes back as the key itself, so it shows on screen
// and gets noticed (missingKeys() lists them for tests).
// Built once at start-up (load, then setWords); get() may then be called from any thread.
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk {

class Strings {
public:
    // A named placeholder's value in both languages.
    struct Words {
        std::string vi;
        std::string en;
    };
    using WordMap = std::map<std::string, Words, std::less<>>;

    Strings();

    // Reads a strings file; the error names the file and line.
    static Result<Strings> load(const std::filesystem::path& path);
    // The same from text (tests, fuzzing, a table sent by the district). Refuses invalid UTF-8, a
    // malformed or duplicated key, an empty text; texts are returned in NFC.
    static Result<Strings> parse(const std::string& text);

    // The text for key in lang; the key itself when missing. The reference stays valid as long as
    // this object does.
    const std::string& get(const std::string& key, Lang lang) const;
    // get() with {0} {1} … replaced by args.
    std::string format(const std::string& key, Lang lang, std::initializer_list<std::string> args) const;

    // Fills every named placeholder ({unit.top}, {desk} …) with its word, in both languages, from
    // the texts as loaded: calling it again with other words replaces the previous ones. A name the
    // map lacks stays as written, so it shows. Not thread-safe: call before sharing the object.
    void setWords(const WordMap& words);
    // The text as the file has it, before setWords() (tests of the data).
    const std::string& pattern(const std::string& key, Lang lang) const;

    bool contains(const std::string& key) const;
    std::vector<std::string> keys() const;  // sorted
    size_t size() const { return m_texts.size(); }
    // Every Vietnamese and English text, for the font-coverage test.
    std::vector<std::string> allTexts() const;
    // Keys asked for with get() that the file lacks, sorted.
    std::vector<std::string> missingKeys() const;

private:
    struct Texts {
        std::string vi;
        std::string en;
    };
    struct Missing;  // keys asked for but absent, behind a mutex (get() is const and shared)

    std::map<std::string, Texts, std::less<>> m_texts;     // with the deployment's words filled in
    std::map<std::string, Texts, std::less<>> m_patterns;  // as loaded
    std::shared_ptr<Missing> m_missing;  // shared by copies, so references from get() stay valid
};

// Replaces {0} {1} … in pattern with args; a placeholder with no argument stays as written, so a
// mistake shows instead of vanishing.
std::string format(const std::string& pattern, std::initializer_list<std::string> args);
// Replaces each {name} of pattern (name: lower-case ASCII letters, digits, "." and "_", starting
// with a letter) that words has, with its text in lang; every other brace stays as written.
std::string fillWords(const std::string& pattern, const Strings::WordMap& words, Lang lang);

}  // namespace kiosk
