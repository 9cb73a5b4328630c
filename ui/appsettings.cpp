#include "appsettings.h"

namespace pd::ui {

QSettings appSettings()
{
    return QSettings(QStringLiteral("ParityDeck"), QStringLiteral("paritydeck"));
}

} // namespace pd::ui
