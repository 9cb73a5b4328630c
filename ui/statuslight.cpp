#include "statuslight.h"

#include "statusicons.h"

#include <QPainter>

namespace pd::ui {

StatusLight::StatusLight(QWidget *parent)
    : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_renderer.load(statusIconPath(m_state));
}

void StatusLight::setState(StatusState state, const QString &subject)
{
    const QString name = subject.isEmpty()
                             ? tr("Status: %1").arg(statusStateLabel(state))
                             : tr("%1 status: %2").arg(subject, statusStateLabel(state));
    if (accessibleName() != name)
        setAccessibleName(name);
    if (state == m_state && m_renderer.isValid())
        return;
    m_state = state;
    m_renderer.load(statusIconPath(state));
    update();
}

QSize StatusLight::sizeHint() const
{
    // Tracks the font so the shape sits level with the state's text at any font size.
    const int side = fontMetrics().height();
    return {side, side};
}

QSize StatusLight::minimumSizeHint() const
{
    return sizeHint();
}

void StatusLight::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int side = std::min(width(), height());
    const QRectF target((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    m_renderer.render(&painter, target.adjusted(1, 1, -1, -1));
}

} // namespace pd::ui
