/**
 * `daily_kpis`: one document per clinic and clinic-local day, written by the nightly job and
 * replaced whole by a re-run (so re-running changes nothing). Figures only: counts, durations,
 * rates and paise, never a patient.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import type { KpiRow } from './kpi-row.js';

const dailyKpiSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    date: { type: String, required: true },
    computedAt: { type: Date, required: true },
    /** The clinic's row (doctorId null, revenue from the ledger). */
    clinic: { type: mongoose.Schema.Types.Mixed, required: true },
    /** One row per doctor with activity or slots that day (revenue columns null). */
    doctors: { type: [mongoose.Schema.Types.Mixed], default: [] },
  },
  { collection: 'daily_kpis', minimize: false },
);

// One document per clinic and day (the job's upsert key), and range reads in date order.
dailyKpiSchema.index({ clinicId: 1, date: 1 }, { unique: true });

/** A stored day. */
export interface DailyKpiRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  date: string;
  computedAt: Date;
  clinic: KpiRow;
  doctors: KpiRow[];
}

/** The DailyKpi model. */
export const DailyKpi = mongoose.model('DailyKpi', dailyKpiSchema);
