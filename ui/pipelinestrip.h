// The promotion pipeline at the top of the main window: each chain of `promotes_from`
// (dev → staging → prod) as a row of stages, each with its migration head, how many
// migrations are pending there and its drift, as the status monitor last saw them. It only
// reads the monitor's statuses (no work of its own, nothing that can block); it is hidden
// when no environment is promoted from another. Every stage is a label whose accessible
// name says all it shows ("staging stage: head 0003, 1 pending, drift: none").
#pragma once

#include "environment/environmentstatus.h"

#include <QFrame>
#include <QHash>

class QLabel;

namespace pd {
class StatusMonitor;
}

namespace pd::ui {

class PipelineStrip final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PipelineStrip)

public:
    // `monitor` must outlive the strip.
    explicit PipelineStrip(StatusMonitor *monitor, QWidget *parent = nullptr);

    // The chains shown, as environment names ({{dev, staging, prod}}).
    const QList<QStringList> &chains() const noexcept { return m_chains; }
    // What the stage of `environment` says (its accessible name); empty when not shown.
    QString stageText(const QString &environment) const;

private:
    void showStatus(const EnvironmentStatus &status);

    QList<QStringList> m_chains;
    QHash<QString, QList<QLabel *>> m_stages; // an environment in two chains has two labels
};

} // namespace pd::ui
