/**
 * /api/v1/reports/kpis, /today, /kpis/rebuild and /settings. JSON by default; `Accept: text/csv`
 * or `?format=csv` answers the same rows as CSV with a header line.
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseQuery } from '../../platform/http/validate.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/index.js';
import { kpiCsv } from './kpi-row.js';
import { kpiRows, rebuildDays, todayRow } from './kpi.service.js';
import { kpiQuery, rebuildBody, reportSettingsBody, todayQuery } from './report.schemas.js';
import { scheduleEveningSummary } from './report-jobs.queue.js';
import { eveningSummarySettings, maskedSettings, updateEveningSummary } from './report-settings.service.js';

const errors = {
  400: { description: 'Invalid query' },
  401: { description: 'Not signed in' },
  403: { description: 'Role may not read these figures (doctors: only their own)' },
};
documentOperation({
  method: 'get',
  path: '/api/v1/reports/kpis',
  summary:
    'Daily KPIs per clinic-local day (stored by the nightly job; missing days computed live); CSV with Accept: text/csv or ?format=csv',
  tags: ['Reports'],
  auth: 'staff',
  query: kpiQuery,
  responses: {
    200: { description: 'One row per day' },
    422: { description: 'from after to, or over 366 days' },
    ...errors,
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/reports/today',
  summary: "Today's KPIs computed live (cached for 5 s); CSV with Accept: text/csv or ?format=csv",
  tags: ['Reports'],
  auth: 'staff',
  query: todayQuery,
  responses: { 200: { description: "Today's row" }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/reports/kpis/rebuild',
  summary: 'Recompute and store the daily KPIs of a past range (admin; replaces what was stored)',
  tags: ['Reports'],
  auth: 'staff',
  body: rebuildBody,
  responses: { 200: { description: 'Days written' }, ...errors },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/reports/settings',
  summary: "The owner's evening summary on WhatsApp: on/off, time, number, language (admin)",
  tags: ['Reports'],
  auth: 'staff',
  body: reportSettingsBody,
  responses: { 200: { description: 'Settings (number masked)' }, ...errors },
});

function wantsCsv(req: Request, format: string | undefined): boolean {
  return format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

/** The KPI router, mounted at /api/v1/reports beside the ledger's revenue report. */
export function kpiRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/kpis',
    asyncHandler(async (req, res) => {
      const query = parseQuery(kpiQuery, req);
      const csv = wantsCsv(req, query.format);
      const report = await kpiRows(res.locals.actor as Actor, { ...query, format: csv ? 'csv' : 'json' });
      if (!csv) return void res.json(report);
      res.type('text/csv').attachment(`kpis-${report.from}-${report.to}.csv`).send(kpiCsv(report.rows));
    }),
  );
  router.get(
    '/today',
    asyncHandler(async (req, res) => {
      const query = parseQuery(todayQuery, req);
      const csv = wantsCsv(req, query.format);
      const row = await todayRow(res.locals.actor as Actor, { ...query, format: csv ? 'csv' : 'json' });
      if (!csv) return void res.json(row);
      res
        .type('text/csv')
        .attachment(`kpis-${row.date}.csv`)
        .send(kpiCsv([row]));
    }),
  );
  router.post(
    '/kpis/rebuild',
    asyncHandler(async (req, res) => {
      const actor = res.locals.actor as Actor;
      assertCan(actor, 'update', 'kpis', { clinicId: actor.clinicId });
      const { from, to } = parseBody(rebuildBody, req);
      res.json({ days: await rebuildDays(actor.clinicId, from, to) });
    }),
  );
  router.get(
    '/settings',
    asyncHandler(async (_req, res) => {
      const actor = res.locals.actor as Actor;
      assertCan(actor, 'update', 'kpis', { clinicId: actor.clinicId });
      res.json({ eveningSummary: maskedSettings(await eveningSummarySettings(actor.clinicId)) });
    }),
  );
  router.patch(
    '/settings',
    asyncHandler(async (req, res) => {
      const actor = res.locals.actor as Actor;
      const { eveningSummary = {} } = parseBody(reportSettingsBody, req);
      const settings = await updateEveningSummary(actor, eveningSummary);
      await scheduleEveningSummary(runtime, actor.clinicId);
      res.json({ eveningSummary: maskedSettings(settings) });
    }),
  );
  return router;
}
