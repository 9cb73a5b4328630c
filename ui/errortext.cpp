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
    return composeErrorText(translate(errorTemplate(error.kind)), error.args, translate);
}

} // namespace pd::ui
