// A one-line label that shows as much of its text as fits and ends in "…". text() stays
// the full text, so screen readers and tests read all of it; the owner puts the full text
// in the tool tip (when it sets none, hovering an elided label shows the full text). Unlike
// QLabel, its minimum width does not grow with the text, so a long error sentence never
// forces the window wider.
#pragma once

#include <QLabel>

namespace pd::ui {

class ElidedLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLabel)

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    bool isElided() const;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
};

} // namespace pd::ui
