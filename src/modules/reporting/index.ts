/**
 * The reporting module: daily KPIs (definitions in kpi-definitions.ts), the nightly job that stores
 * them in `daily_kpis`, the live "today" snapshot, CSV export and the owner's evening summary.
 */
import type { DomainModule } from '../index.js';
import './daily-kpi.model.js';
import './report-settings.model.js';
import { defineReportsQueue } from './report-jobs.queue.js';
import { kpiRoutes } from './report.routes.js';

export { clearTodaySnapshots, computeDay, kpiRows, rebuildDays, todayRow } from './kpi.service.js';
export type { KpiDay } from './kpi.service.js';
export { KPI_COLUMNS, kpiCsv } from './kpi-row.js';
export type { KpiRow } from './kpi-row.js';
export { scheduleReports } from './report-jobs.queue.js';
export { sendEveningSummary } from './evening-summary.js';

/** Registers the reports queue; mounts /api/v1/reports/{kpis,today,settings}. */
export const reportingModule: DomainModule = {
  name: 'reporting',
  register(runtime) {
    defineReportsQueue(runtime);
  },
  mount(app, runtime) {
    app.use('/api/v1/reports', kpiRoutes(runtime));
  },
};
