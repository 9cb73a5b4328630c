#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

#include <optional>

namespace pd::ui {
namespace {

struct Original
{
    QPalette palette;
    QString style;
};

std::optional<Original> &original()
{
    static std::optional<Original> saved;
    return saved;
}

QPalette darkPalette()
{
    // Greys rather than black: borders, disabled text and the highlight stay visible.
    const QColor window(45, 47, 50);
    const QColor base(32, 33, 36);
    const QColor alternate(40, 42, 45);
    const QColor text(230, 230, 230);
    const QColor disabledText(128, 130, 134);
    const QColor button(53, 55, 59);
    const QColor highlight(42, 130, 218);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(60, 62, 66));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabledText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 90, 90));
    p.setColor(QPalette::Light, QColor(75, 77, 81));
    p.setColor(QPalette::Midlight, QColor(64, 66, 70));
    p.setColor(QPalette::Mid, QColor(38, 39, 42));
    p.setColor(QPalette::Dark, QColor(25, 26, 28));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(110, 170, 240));
    p.setColor(QPalette::LinkVisited, QColor(170, 140, 230));
    for (const QPalette::ColorRole role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(48, 50, 53));
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(80, 80, 80));
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabledText);
    return p;
}

} // namespace

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void applyTheme(Theme theme)
{
    if (!original())
        original() = Original{QApplication::palette(), QApplication::style()->name()};
    if (theme == Theme::System) {
        QApplication::setStyle(QStyleFactory::create(original()->style));
        QApplication::setPalette(original()->palette);
    } else {
        // Fusion draws everything from the palette; platform styles may not.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(theme == Theme::Dark ? darkPalette()
                                                      : QApplication::style()->standardPalette());
    }
    // A widget with a style sheet resolved its colours when it was polished, from the old
    // palette (a badge kept black text on a dark tint): polish those again.
    const QList<QWidget *> widgets = QApplication::allWidgets();
    for (QWidget *widget : widgets) {
        if (widget->styleSheet().isEmpty())
            continue;
        widget->style()->unpolish(widget);
        widget->style()->polish(widget);
        widget->update();
    }
}

} // namespace pd::ui
