#include "result.h"

namespace pd {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Usage:
        return QStringLiteral("usage");
    case ErrorCode::Config:
        return QStringLiteral("config");
    case ErrorCode::NotFound:
        return QStringLiteral("not-found");
    case ErrorCode::Refused:
        return QStringLiteral("refused");
    case ErrorCode::Timeout:
        return QStringLiteral("timeout");
    case ErrorCode::Auth:
        return QStringLiteral("auth");
    case ErrorCode::NoKeyring:
        return QStringLiteral("no-keyring");
    case ErrorCode::Protected:
        return QStringLiteral("protected");
    case ErrorCode::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorCode::Runtime:
        return QStringLiteral("runtime");
    }
    return QStringLiteral("runtime");
}

} // namespace pd
