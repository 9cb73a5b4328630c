// A real PgBouncer in front of a PgCluster, for tests of what goes through a pooler (the
// demo's dev environment does). Runs in the foreground as a child process (as the
// postgres user when the test runs as root: PgBouncer refuses root) and is stopped by
// the destructor.
#pragma once

#include "common/result.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pd::test {

class PgCluster;

class PgBouncer final
{
public:
    explicit PgBouncer(const PgCluster &backend);
    ~PgBouncer();
    PgBouncer(const PgBouncer &) = delete;
    PgBouncer &operator=(const PgBouncer &) = delete;

    // Writes the configuration and starts PgBouncer; returns once its port accepts connections.
    Result<void> start();
    void stop();

    int port() const noexcept { return m_port; }
    QString url(const QString &db = QStringLiteral("postgres"),
                const QString &user = QStringLiteral("postgres")) const;
    QString log() const;

private:
    int m_backendPort = 0;
    int m_port = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
};

} // namespace pd::test
