// How alike the environments are: the parity matrix (core/parity) as a table with
// coloured cells that also say their state in words, the overall score and one score per
// pair of environments, and the mismatches in sentences. Computing it means reading
// dotenv files, resolving secrets and asking every server, so it runs through a
// ParityCheck (secrets asynchronously, the rest on worker threads); the view shows
// progress meanwhile and never waits. Double-clicking a schema cell that differs asks for
// the diff review of that environment against the reference one.
#pragma once

#include "parity/paritymatrix.h"

#include <QDateTime>
#include <QWidget>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace pd {
class ParityCheck;
struct Workspace;
} // namespace pd

namespace pd::ui {

class ParityModel;

class ParityView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParityView)

public:
    explicit ParityView(const Workspace &workspace, QWidget *parent = nullptr);
    ~ParityView() override;

    bool isComputing() const noexcept { return m_computing; }
    ParityModel *model() const noexcept { return m_model; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void computingChanged(bool computing);
    void computed(const pd::ParityMatrix &matrix);
    void diffRequested(const QString &from, const QString &to);

private:
    void showMatrix(const ParityMatrix &matrix);
    void applyFilter();
    void onDoubleClicked(const QModelIndex &index);

    ParityCheck *m_check;
    ParityModel *m_model;
    QLabel *m_score = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_refresh = nullptr;
    QCheckBox *m_onlyDifferences = nullptr;
    QTableView *m_table = nullptr;
    QTableWidget *m_pairs = nullptr;
    QLabel *m_legend = nullptr;
    QLabel *m_notes = nullptr;
    bool m_computing = false;
};

} // namespace pd::ui
