#include "pipelinestrip.h"

#include "environment/promotion.h"
#include "environment/statusmonitor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace pd::ui {

namespace {

QString headWords(const SchemaFacts &schema)
{
    if (!schema.known)
        return PipelineStrip::tr("head unknown");
    return PipelineStrip::tr("head %1").arg(schema.head.isEmpty() ? PipelineStrip::tr("none")
                                                                  : schema.head);
}

QString pendingWords(const SchemaFacts &schema)
{
    if (!schema.known)
        return PipelineStrip::tr("pending unknown");
    return PipelineStrip::tr("%1 pending").arg(schema.pending);
}

} // namespace

PipelineStrip::PipelineStrip(StatusMonitor *monitor, QWidget *parent)
    : QFrame(parent)
    , m_chains(promotionChains(monitor->workspace()))
{
    setObjectName(QStringLiteral("pipelineStrip"));
    setAccessibleName(tr("Promotion pipeline"));
    setFrameShape(QFrame::StyledPanel);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 6, 12, 6);
    layout->setSpacing(4);
    for (const QStringList &chain : std::as_const(m_chains)) {
        auto *row = new QHBoxLayout;
        row->setSpacing(8);
        for (qsizetype i = 0; i < chain.size(); ++i) {
            if (i > 0) {
                auto *arrow = new QLabel(QStringLiteral("→"), this);
                arrow->setAccessibleName(tr("promoted to"));
                row->addWidget(arrow);
            }
            auto *stage = new QLabel(this);
            stage->setObjectName(QStringLiteral("pipelineStage-") + chain.at(i));
            stage->setTextFormat(Qt::PlainText);
            stage->setFrameShape(QFrame::StyledPanel);
            stage->setMargin(4);
            stage->setText(tr("%1\nnot checked yet").arg(chain.at(i)));
            stage->setAccessibleName(tr("%1 stage: not checked yet").arg(chain.at(i)));
            m_stages[chain.at(i)].append(stage);
            row->addWidget(stage);
        }
        row->addStretch(1);
        layout->addLayout(row);
    }
    if (m_chains.isEmpty())
        hide();
    for (const EnvironmentStatus &status : monitor->statuses())
        showStatus(status);
    connect(monitor, &StatusMonitor::statusChanged, this, &PipelineStrip::showStatus);
}

QString PipelineStrip::stageText(const QString &environment) const
{
    const QList<QLabel *> labels = m_stages.value(environment);
    return labels.isEmpty() ? QString() : labels.first()->accessibleName();
}

void PipelineStrip::showStatus(const EnvironmentStatus &status)
{
    const auto found = m_stages.constFind(status.environment);
    // Not checked yet: the stage keeps saying so.
    if (found == m_stages.cend() || !status.checkedAt.isValid())
        return;
    const QString facts = headWords(status.schema) + QStringLiteral(", ") +
                          pendingWords(status.schema) + QStringLiteral(", ") +
                          driftText(status.drift);
    const QString text = status.environment + QLatin1Char('\n') + headWords(status.schema) +
                         QStringLiteral(" · ") + pendingWords(status.schema) + QLatin1Char('\n') +
                         driftText(status.drift);
    const QString name = tr("%1 stage: %2").arg(status.environment, facts);
    for (QLabel *stage : *found) {
        if (stage->text() == text)
            continue;
        stage->setText(text);
        stage->setAccessibleName(name);
        stage->setToolTip(name);
    }
}

} // namespace pd::ui
