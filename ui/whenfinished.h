// Delivers a future's outcome to a widget: `callback(future)` runs on `context`'s thread
// once `future` finishes, through a QFutureWatcher parented to `context` — so a closed
// window or dialog never receives a late result, and the GUI thread never waits.
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

namespace pd::ui {

template<typename T, typename Callback>
void whenFinished(QObject *context, const QFuture<T> &future, Callback callback)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, callback = std::move(callback)]() mutable {
                         watcher->deleteLater();
                         callback(watcher->future());
                     });
    watcher->setFuture(future);
}

} // namespace pd::ui
