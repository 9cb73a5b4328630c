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
    QString text = composeErrorText(translate(errorTemplate(error.kind)), error.args, translate);
    // "staging: " and the like, innermost last, each through the translator as well.
    for (auto it = error.within.crbegin(); it != error.within.crend(); ++it)
        text.prepend(composeErrorText(translate(errorPrefixTemplate()),
                                      {ErrorArg::text(QStringLiteral("environment"), *it)},
                                      translate));
    return text;
}

} // namespace pd::ui
