// ui::errorText(): a structured error is composed from its template through the panel's
// translator — its phrases and the "staging: " prefixes of Error::inEnvironment() too —
// while free text, or a message rewritten by hand, is shown as it is.
#include "common/errors.h"
#include "environment/environmentprobe.h"
#include "errortext.h"

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

using namespace pd;

namespace {

// Brackets every error template and phrase, so the test sees what went through it.
class BracketingTranslator final : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *, int) const override
    {
        if (QByteArrayView(context) != "pd::ErrorMessage")
            return {};
        return QLatin1Char('[') + QString::fromUtf8(sourceText) + QLatin1Char(']');
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class TestErrorText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(QCoreApplication::installTranslator(&m_translator)); }
    void cleanupTestCase() { QCoreApplication::removeTranslator(&m_translator); }

    void prefixesAreTranslatedAndKeepTheKind()
    {
        const Error error = errors::noEnvironment(QStringLiteral("qa"))
                                .inEnvironment(QStringLiteral("staging"))
                                .inEnvironment(QStringLiteral("migrations:prod"));
        QCOMPARE(error.message, QStringLiteral("migrations:prod: staging: no environment 'qa'"));
        QCOMPARE(ui::errorText(error),
                 QStringLiteral("[migrations:prod: ][staging: ][no environment 'qa']"));
    }

    void phrasesAreTranslatedWithTheSentence()
    {
        const Error error(ErrorCode::Runtime, ErrorKind::ProcessExitedDuringStart,
                          errors::outputTail(QStringLiteral("output"), QStringLiteral("gone")));
        QCOMPARE(error.message, QStringLiteral("process exited during start: gone"));
        QCOMPARE(ui::errorText(error), QStringLiteral("[process exited during start[: gone]]"));
    }

    void freeTextIsShownAsItIs()
    {
        const Error free =
            Error(ErrorCode::Runtime, QStringLiteral("boom")).inEnvironment(QStringLiteral("dev"));
        QCOMPARE(ui::errorText(free), QStringLiteral("dev: boom"));
        Error rewritten = errors::cancelled();
        rewritten.message += QStringLiteral(" by hand");
        QCOMPARE(ui::errorText(rewritten), QStringLiteral("cancelled by hand"));
    }

    // A card's reason is made of parts (the database's, each service's within its name):
    // each is worded through the translator, free text as it is, and the English reason
    // (JSON, CLI) is the same text as before.
    void aStatusReasonIsWordedPartByPart()
    {
        EnvironmentStatus status;
        status.environment = QStringLiteral("staging");
        status.state = StatusState::Down;
        setReason(status, {errors::noEnvironment(QStringLiteral("qa"))});
        ServiceStatus cache{QStringLiteral("cache"), StatusState::Down, {}, {}};
        setReason(cache, errors::cancelled());
        ServiceStatus worker{QStringLiteral("worker"), StatusState::Down, {}, {}};
        setReason(worker, Error(ErrorCode::Runtime, QStringLiteral("stopped")));
        status.services = {cache, worker};
        const EnvironmentStatus combined = combineEnvironmentStatus(status, true);
        QCOMPARE(combined.state, StatusState::Down);
        QCOMPARE(combined.reason,
                 QStringLiteral("no environment 'qa'; cache: cancelled; worker: stopped"));
        QCOMPARE(ui::reasonText(combined),
                 QStringLiteral("[no environment 'qa']; [cache: ][cancelled]; worker: stopped"));
        QCOMPARE(ui::reasonText(combined.services.constFirst()), QStringLiteral("[cancelled]"));

        // A reason without parts (set by hand) is shown as it is.
        EnvironmentStatus byHand;
        byHand.reason = QStringLiteral("as written");
        QCOMPARE(ui::reasonText(byHand), QStringLiteral("as written"));
    }

private:
    BracketingTranslator m_translator;
};

QTEST_GUILESS_MAIN(TestErrorText)
#include "tst_errortext.moc"
