#include "theme.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QWidget>

#include <cmath>
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

// The first colour on the way from `start` to the palette's text that stands out 3:1 from
// both backgrounds a control sits on (the window, and Base: cards, tables, fields). A
// little above 3 so antialiased edges still make it.
QColor firstVisible(const QPalette &palette, const QColor &start)
{
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::WindowText);
    for (int step = 0; step <= 20; ++step) {
        const double t = step / 20.0;
        const QColor c = QColor::fromRgbF(float(start.redF() * (1 - t) + text.redF() * t),
                                          float(start.greenF() * (1 - t) + text.greenF() * t),
                                          float(start.blueF() * (1 - t) + text.blueF() * t))
                             .toRgb();
        if (contrastRatio(c, window) >= 3.2 && contrastRatio(c, base) >= 3.2)
            return c;
    }
    return text;
}

// Fusion (and the platform styles) with a focus ring a keyboard user can find and check
// box/radio edges that are not lost in a dark window. Everything else is the base style.
class PanelStyle final : public QProxyStyle
{
public:
    explicit PanelStyle(QStyle *base)
        : QProxyStyle(base)
    {
    }

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        switch (element) {
        case PE_FrameFocusRect:
            // Check boxes, radio buttons and item views call this around what has focus.
            if (keyboardFocus(option))
                drawRing(painter, option->rect, option->palette);
            return;
        case PE_IndicatorCheckBox: {
            QProxyStyle::drawPrimitive(element, option, painter, widget);
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, false);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(QPen(edgeColor(option), 1));
            painter->drawRect(option->rect.adjusted(0, 0, -1, -1));
            painter->restore();
            return;
        }
        case PE_IndicatorRadioButton: {
            QProxyStyle::drawPrimitive(element, option, painter, widget);
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, true);
            painter->setBrush(Qt::NoBrush);
            painter->setPen(QPen(edgeColor(option), 1.5));
            const QRectF r = QRectF(option->rect).adjusted(1, 1, -1, -1);
            const double d = std::min(r.width(), r.height());
            painter->drawEllipse(QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d));
            painter->restore();
            return;
        }
        case PE_PanelLineEdit:
            QProxyStyle::drawPrimitive(element, option, painter, widget);
            if (option->state & State_HasFocus)
                drawRing(painter, option->rect, option->palette);
            return;
        default:
            QProxyStyle::drawPrimitive(element, option, painter, widget);
        }
    }

    void drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                     const QWidget *widget) const override
    {
        QProxyStyle::drawControl(element, option, painter, widget);
        if (element == CE_PushButton && keyboardFocus(option))
            drawRing(painter, option->rect, option->palette);
    }

    void drawComplexControl(ComplexControl control, const QStyleOptionComplex *option,
                            QPainter *painter, const QWidget *widget) const override
    {
        QProxyStyle::drawComplexControl(control, option, painter, widget);
        const bool ringed = control == CC_ToolButton ? keyboardFocus(option)
                            : control == CC_ComboBox || control == CC_SpinBox
                                ? bool(option->state & State_HasFocus)
                                : false;
        if (ringed)
            drawRing(painter, option->rect, option->palette);
    }

private:
    static bool keyboardFocus(const QStyleOption *option)
    {
        return (option->state & State_HasFocus) && (option->state & State_KeyboardFocusChange);
    }

    static QColor edgeColor(const QStyleOption *option)
    {
        if (keyboardFocus(option))
            return focusRingColor(option->palette);
        if (!(option->state & State_Enabled))
            return option->palette.color(QPalette::Disabled, QPalette::WindowText);
        return indicatorEdgeColor(option->palette);
    }

    static void drawRing(QPainter *painter, const QRect &rect, const QPalette &palette)
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(focusRingColor(palette), 2));
        painter->drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 3, 3);
        painter->restore();
    }
};

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        const QColor rgb = c.toRgb();
        return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) +
               0.0722 * channel(rgb.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor focusRingColor(const QPalette &palette)
{
    return firstVisible(palette, palette.color(QPalette::Highlight));
}

QColor indicatorEdgeColor(const QPalette &palette)
{
    // From the background towards the text: the quietest edge that is still seen.
    return firstVisible(palette, palette.color(QPalette::Window));
}

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
        QApplication::setStyle(new PanelStyle(QStyleFactory::create(original()->style)));
        QApplication::setPalette(original()->palette);
    } else {
        // Fusion draws everything from the palette; platform styles may not.
        // untranslated: Qt's style key
        QApplication::setStyle(new PanelStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
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
