// Errors as values. Every fallible core function returns Result<T>: the value, or an
// Error carrying a machine-readable code (mapped to CLI exit codes) and one sentence
// a user can act on. Exceptions never cross a layer boundary.
#pragma once

#include "common/errormessage.h"

#include <QString>
#include <QStringList>

#include <cassert>
#include <utility>
#include <variant>

namespace pd {

enum class ErrorCode {
    Usage,     // bad command-line arguments
    Config,    // workspace file invalid
    NotFound,  // a named thing (environment, secret, file) does not exist
    Refused,   // nothing listens / the server refused the connection
    Timeout,   // the operation did not finish within its timeout
    Auth,      // authentication failed
    NoKeyring, // no secret service is available
    Protected, // refused because the environment is protected
    Cancelled, // the user cancelled
    Runtime,   // anything else that failed while running
};

// CLI exit codes: 0 ok, 1 difference/pending found, 2 usage or config error, 3 runtime failure.
constexpr int exitCodeFor(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::Usage:
    case ErrorCode::Config:
    case ErrorCode::Protected: // refused for want of a confirmation the caller must add
        return 2;
    default:
        return 3;
    }
}

QString errorCodeName(ErrorCode code);

struct Error
{
    ErrorCode code = ErrorCode::Runtime;
    // The English sentence: the CLI prints it, logs and the audit keep it.
    QString message;
    // The same sentence as data, for a caller that composes it itself (the panel, through
    // its translator: ui/errortext.h). Unspecified: message is free text.
    ErrorKind kind = ErrorKind::Unspecified;
    QList<ErrorArg> args;
    // Where it happened, outermost first ("staging", then "postgres"): each is written
    // before the sentence as "staging: " (errorPrefixTemplate()). Kept apart from the
    // sentence so that a prefixed error keeps its kind; see inEnvironment().
    QStringList within;

    Error() = default;
    Error(ErrorCode c, QString m)
        : code(c)
        , message(std::move(m))
    {
    }
    // A structured error; its message is the kind's English template filled with `a`.
    Error(ErrorCode c, ErrorKind k, QList<ErrorArg> a)
        : code(c)
        , message(englishErrorText(k, a))
        , kind(k)
        , args(std::move(a))
    {
    }

    // This error as it happened in `name` (an environment, a service, a schema side): the
    // message gets "name: " in front, as callers used to prepend it by hand, and the kind,
    // its parameters and the code stay. An empty name changes nothing.
    Error inEnvironment(const QString &name) const
    {
        Error prefixed = *this;
        if (name.isEmpty())
            return prefixed;
        // The English errorPrefixTemplate(), "{environment}: ".
        prefixed.message = name + QStringLiteral(": ") + message;
        prefixed.within.prepend(name);
        return prefixed;
    }

    // This error as the parameter `name` of another one ("nothing was applied: {reason}"):
    // its English message, and, when it is structured, its kind, parameters and prefixes,
    // so the panel translates the inner sentence as well. Free text stays free text inside.
    ErrorArg asArg(QString name) const
    {
        ErrorArg arg = ErrorArg::text(std::move(name), message);
        if (isStructured())
            arg.nested = std::make_shared<const NestedError>(NestedError{kind, args, within});
        return arg;
    }

    // True when kind, args and the prefixes (within) still say what message says. A caller
    // that rewrote the message by hand (added a prefix, say) leaves a free-text error.
    bool isStructured() const
    {
        if (kind == ErrorKind::Unspecified)
            return false;
        QString expected = englishErrorText(kind, args);
        for (auto it = within.crbegin(); it != within.crend(); ++it)
            expected.prepend(*it + QStringLiteral(": "));
        return message == expected;
    }
};

template<typename T> class [[nodiscard]] Result
{
public:
    // Default-constructed results (needed by QFuture's result storage) hold an error.
    Result()
        : m_data(std::in_place_index<1>, ErrorCode::Runtime, QStringLiteral("no result"))
    {
    }
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const noexcept { return m_data.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    const T &value() const &
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    T &value() &
    {
        assert(ok());
        return std::get<0>(m_data);
    }
    T &&value() &&
    {
        assert(ok());
        return std::get<0>(std::move(m_data));
    }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const
    {
        assert(!ok());
        return std::get<1>(m_data);
    }

private:
    std::variant<T, Error> m_data;
};

template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_ok(false)
    {
    }

    bool ok() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    const Error &error() const
    {
        assert(!m_ok);
        return m_error;
    }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace pd
