/** The ledger module: the append-only journal the billing services post to, and its reports. */
import type { DomainModule } from '../index.js';
import './journal.model.js';
import { ledgerRoutes, reportRoutes } from './ledger.routes.js';

export { clinicRevenue } from './revenue-report.service.js';
export type { RevenueDay, RevenueReport } from './revenue-report.service.js';
export { receivableBalance, trialBalance } from './ledger.service.js';
export type { TrialBalance } from './ledger.service.js';

/** Mounts /api/v1/ledger and /api/v1/reports. */
export const ledgerModule: DomainModule = {
  name: 'ledger',
  mount(app, runtime) {
    app.use('/api/v1/ledger', ledgerRoutes(runtime));
    app.use('/api/v1/reports', reportRoutes(runtime));
  },
};
