#include "statusicons.h"

#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

// The .qrc is compiled into the static paritydeck_ui library; a static library's resource
// initialiser is only linked in when something references it, and Q_INIT_RESOURCE must be
// used from the global namespace.
static void initParityDeckResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(resources);
        return true;
    }();
    Q_UNUSED(done)
}

namespace pd::ui {
namespace {

// Sizes a desktop asks icons for (16/22/24/32/48/64) and their doubles for scale 2.
constexpr int kIconSizes[] = {16, 22, 24, 32, 44, 48, 64, 96, 128};

QImage renderSvg(const QString &path, int pixels)
{
    initParityDeckResources();
    QImage image(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QSvgRenderer renderer(path);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(0, 0, pixels, pixels));
    return image;
}

QIcon iconFromSvg(const QString &path)
{
    QIcon icon;
    for (int size : kIconSizes)
        icon.addPixmap(QPixmap::fromImage(renderSvg(path, size)));
    return icon;
}

} // namespace

QString statusIconPath(StatusState state)
{
    // Callers load the path themselves (QSvgRenderer::load), so make sure it exists.
    initParityDeckResources();
    return QStringLiteral(":/paritydeck/icons/status/") + statusStateName(state) +
           QStringLiteral(".svg");
}

QIcon appIcon()
{
    return iconFromSvg(QStringLiteral(":/paritydeck/icons/paritydeck.svg"));
}

QIcon refreshIcon()
{
    return iconFromSvg(QStringLiteral(":/paritydeck/icons/refresh.svg"));
}

QIcon statusIcon(StatusState state)
{
    return iconFromSvg(statusIconPath(state));
}

QImage renderTrayImage(StatusState state, int pixels)
{
    initParityDeckResources();
    QImage image = renderSvg(QStringLiteral(":/paritydeck/icons/paritydeck.svg"), pixels);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    // The badge covers the lower right ~60 %: big enough to read at 16 px. A light disc
    // with a dark rim separates it from the app icon and from light or dark panels alike.
    const qreal badge = pixels * 0.62;
    const QRectF badgeRect(pixels - badge, pixels - badge, badge, badge);
    painter.setPen(QPen(QColor(0, 0, 0, 150), std::max(1.0, pixels / 32.0)));
    painter.setBrush(QColor(255, 255, 255, 235));
    painter.drawEllipse(badgeRect.adjusted(0.5, 0.5, -0.5, -0.5));
    const qreal inset = badge * 0.12;
    QSvgRenderer shape(statusIconPath(state));
    shape.render(&painter, badgeRect.adjusted(inset, inset, -inset, -inset));
    return image;
}

QIcon trayIcon(StatusState state)
{
    QIcon icon;
    for (int size : kIconSizes)
        icon.addPixmap(QPixmap::fromImage(renderTrayImage(state, size)));
    return icon;
}

} // namespace pd::ui
