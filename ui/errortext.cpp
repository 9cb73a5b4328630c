#include "errortext.h"

#include <QCoreApplication>

namespace pd::ui {

QString errorText(const Error &error)
{
    if (!error.isStructured())
        return error.message;
    const auto translate = [](const char *text) {
        return QCoreApplication::translate("pd::ErrorMessage", text);
    };
    // "staging: " and the like and any error nested in it go through the translator too.
    return composeError(error.kind, error.args, error.within, translate);
}

} // namespace pd::ui
