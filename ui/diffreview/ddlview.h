// Read-only DDL of one side of a comparison with its changed lines marked twice over: a
// tinted background and a "−"/"+" sign in a gutter (colour is never the only signal).
#pragma once

#include <QPlainTextEdit>
#include <QVector>

namespace pd::ui {

class DdlView final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DdlView)

public:
    enum class Side { From, To };
    explicit DdlView(Side side, QWidget *parent = nullptr);

    // `changed` holds one flag per line of `text`.
    void showDdl(const QString &text, const QVector<bool> &changed);
    // Greyed text instead of DDL ("not in FROM", "loading…").
    void showMessage(const QString &message);

    bool isShowingMessage() const noexcept { return m_message; }
    QStringList changedLines() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    class Gutter;
    int gutterWidth() const;
    void paintGutter(QPaintEvent *event);
    void updateGutterGeometry();

    Side m_side;
    Gutter *m_gutter;
    QVector<bool> m_changed;
    bool m_message = false;
};

} // namespace pd::ui
