#include "closecontrols.h"

#include <QAction>
#include <QBoxLayout>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QPushButton>
#include <QWidget>

namespace pd::ui {

void addCloseShortcuts(QWidget *window)
{
    auto *close =
        new QAction(QCoreApplication::translate("pd::ui::CloseControls", "Close"), window);
    close->setObjectName(QStringLiteral("actionCloseWindow"));
    close->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_W)});
    // Also when focus sits in a child (a table, a filter field) of this window.
    close->setShortcutContext(Qt::WindowShortcut);
    QObject::connect(close, &QAction::triggered, window, &QWidget::close);
    window->addAction(close);
}

QPushButton *addCloseControls(QWidget *window)
{
    addCloseShortcuts(window);
    auto *button =
        new QPushButton(QCoreApplication::translate("pd::ui::CloseControls", "Close"), window);
    button->setObjectName(window->objectName() + QStringLiteral("Close"));
    button->setToolTip(
        QCoreApplication::translate("pd::ui::CloseControls", "Close this window (Esc, Ctrl+W)"));
    QObject::connect(button, &QPushButton::clicked, window, &QWidget::close);
    if (auto *layout = qobject_cast<QBoxLayout *>(window->layout())) {
        auto *row = new QHBoxLayout;
        row->addStretch(1);
        row->addWidget(button);
        layout->addLayout(row);
    }
    return button;
}

} // namespace pd::ui
