#include "aboutdialog.h"

#include "closecontrols.h"
#include "statusicons.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <libpq-fe.h>

namespace pd::ui {
namespace {

QLabel *fact(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

} // namespace

QString AboutDialog::libpqVersion()
{
    // Since PostgreSQL 10: major * 10000 + minor.
    const int version = PQlibVersion();
    if (version >= 100000)
        return QStringLiteral("%1.%2").arg(version / 10000).arg(version % 10000);
    return QStringLiteral("%1.%2.%3")
        .arg(version / 10000)
        .arg(version / 100 % 100)
        .arg(version % 100);
}

QString AboutDialog::qtVersion()
{
    return QString::fromLatin1(qVersion());
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About ParityDeck"));

    auto *icon = new QLabel(this);
    icon->setPixmap(appIcon().pixmap(64, 64));
    icon->setAccessibleName(tr("ParityDeck"));
    auto *title =
        fact(QStringLiteral("aboutTitle"), QStringLiteral("ParityDeck " PARITYDECK_VERSION), this);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.3);
    title->setFont(bold);
    auto *what = fact(QStringLiteral("aboutWhat"),
                      tr("Keeps a team's PostgreSQL environments in parity: status, "
                         "migrations, schema drift, diff and parity."),
                      this);
    what->setWordWrap(true);

    auto *versions = new QFormLayout;
    versions->addRow(tr("ParityDeck:"), fact(QStringLiteral("aboutVersion"),
                                             QStringLiteral(PARITYDECK_VERSION), this));
    versions->addRow(tr("Qt:"),
                     fact(QStringLiteral("aboutQtVersion"),
                          tr("%1 (built with %2)").arg(qtVersion(), QStringLiteral(QT_VERSION_STR)),
                          this));
    versions->addRow(tr("libpq:"), fact(QStringLiteral("aboutLibpqVersion"), libpqVersion(), this));

    auto *licences = fact(QStringLiteral("aboutLicences"),
                          tr("ParityDeck: proprietary, for the team it was built for "
                             "(/usr/share/doc/paritydeck/copyright).\n"
                             "Qt: LGPL-3.0-only.\n"
                             "libpq (PostgreSQL client library): PostgreSQL Licence.\n"
                             "libpg_query: BSD-3-Clause.\n"
                             "Qt Keychain: BSD-3-Clause.\n"
                             "yaml-cpp: MIT."),
                          this);
    licences->setWordWrap(true);
    auto *licencesTitle = new QLabel(tr("Licences"), this);
    QFont heading = licencesTitle->font();
    heading.setBold(true);
    licencesTitle->setFont(heading);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("aboutClose"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    addCloseShortcuts(this);

    auto *header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *headerText = new QVBoxLayout;
    headerText->addWidget(title);
    headerText->addWidget(what);
    header->addLayout(headerText, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(versions);
    layout->addSpacing(6);
    layout->addWidget(licencesTitle);
    layout->addWidget(licences);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 70, sizeHint().height());
}

AboutDialog::~AboutDialog() = default;

QString userGuidePath()
{
    const QString guide = QStringLiteral("user-guide.md");
    QStringList candidates{
        // Installed: <prefix>/bin/paritydeck → <prefix>/share/doc/paritydeck/.
        QDir(QCoreApplication::applicationDirPath())
            .absoluteFilePath(QStringLiteral("../share/doc/paritydeck/") + guide),
        QStringLiteral("/usr/share/doc/paritydeck/") + guide,
    };
#ifdef PARITYDECK_SOURCE_DOCS_DIR
    candidates << QStringLiteral(PARITYDECK_SOURCE_DOCS_DIR "/") + guide;
#endif
    for (const QString &candidate : std::as_const(candidates)) {
        const QFileInfo info(candidate);
        if (info.isFile())
            return info.canonicalFilePath();
    }
    return {};
}

} // namespace pd::ui
