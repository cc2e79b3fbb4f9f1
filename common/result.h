#pragma once
// Expected failures as values (CONTRIBUTING.md): a typed error with a message for people in both UI
// languages, returned instead of thrown. Exceptions never cross a module boundary.
// Used by every layer; no threads of its own.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

enum class Lang { Vi, En };  // Vietnamese is the default everywhere

struct Error {
    std::string code;  // stable machine-readable key, e.g. "cccd.province"
    std::string vi;    // the message for people, Vietnamese
    std::string en;    // the same message, English
    const std::string& text(Lang lang) const { return lang == Lang::En ? en : vi; }
};

inline Error makeError(std::string code, std::string vi, std::string en) {
    return Error{std::move(code), std::move(vi), std::move(en)};
}

// Result<T>: either a value or an Error. Check ok() before value().
template <class T>
class Result {
public:
    Result(T value) : m_value(std::move(value)) {}      // NOLINT: implicit on purpose
    Result(Error error) : m_value(std::move(error)) {}  // NOLINT
    bool ok() const { return m_value.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_value); }
    const T& value() const { return std::get<0>(m_value); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(m_value); }

private:
    std::variant<T, Error> m_value;
};

// Outcome: success or an Error, for operations with no value.
class Outcome {
public:
    Outcome() = default;
    Outcome(Error error) : m_error(std::move(error)) {}  // NOLINT
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

}  // namespace kiosk
