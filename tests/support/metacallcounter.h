// Counts the queued calls (QEvent::MetaCall) delivered to an object: results posted back
// from worker threads, one wake-up of the object's thread each.
#pragma once

#include <QEvent>
#include <QObject>

namespace pd::test {

class MetaCallCounter final : public QObject
{
public:
    explicit MetaCallCounter(QObject *watched) { watched->installEventFilter(this); }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall)
            ++count;
        return false;
    }
};

} // namespace pd::test
