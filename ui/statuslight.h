// The small status shape next to an environment's state: filled disc with a check (up),
// struck-through ring (down), half-filled ring (starting), warning triangle (degraded),
// octagon with a cross (error), clock (not checked yet). Painted from SVG at the widget's
// device pixel ratio. It is a QLabel so assistive technology sees a label whose accessible
// name says the state in words ("dev status: Up").
#pragma once

#include "environment/environmentstatus.h"

#include <QLabel>
#include <QSvgRenderer>

namespace pd::ui {

class StatusLight final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusLight)

public:
    explicit StatusLight(QWidget *parent = nullptr);

    // `subject` names what the light is about ("dev"); it prefixes the accessible name.
    void setState(StatusState state, const QString &subject);
    StatusState state() const noexcept { return m_state; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    StatusState m_state = StatusState::Unknown;
    QSvgRenderer m_renderer;
};

} // namespace pd::ui
