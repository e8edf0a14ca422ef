/**
 * Appointment facts for reporting: ids, statuses, channels and lifecycle times only (never a name or
 * a phone), read in one query so the KPI job and the live "today" snapshot see the same rows.
 */
import { Types } from 'mongoose';
import { Appointment } from './appointment.model.js';

/** The non-PHI facts of one appointment that the KPI definitions need. */
export interface AppointmentFact {
  id: string;
  doctorId: string;
  localDate: string;
  status: string;
  source: 'whatsapp' | 'frontdesk' | 'portal' | 'walk_in';
  walkIn: boolean;
  /** Booked on a slot of the grid (overbooked walk-ins are squeezed in beside it). */
  onSlot: boolean;
  prepaymentPaise: number;
  requestedAt?: Date;
  confirmedAt?: Date;
  checkedInAt?: Date;
  inConsultAt?: Date;
  completedAt?: Date;
}

const FACT_FIELDS =
  'doctorId slotId localDate status source walkIn prepaymentPaise requestedAt confirmedAt checkedInAt inConsultAt completedAt createdAt';

interface FactRow {
  _id: Types.ObjectId;
  doctorId: Types.ObjectId;
  slotId?: Types.ObjectId;
  localDate: string;
  status: string;
  source: AppointmentFact['source'];
  walkIn?: boolean;
  prepaymentPaise?: number;
  requestedAt?: Date;
  confirmedAt?: Date;
  checkedInAt?: Date;
  inConsultAt?: Date;
  completedAt?: Date;
  createdAt?: Date;
}

function toFact(row: FactRow): AppointmentFact {
  return {
    id: String(row._id),
    doctorId: String(row.doctorId),
    localDate: row.localDate,
    status: row.status,
    source: row.source,
    walkIn: Boolean(row.walkIn),
    onSlot: row.slotId !== undefined && row.slotId !== null,
    prepaymentPaise: row.prepaymentPaise ?? 0,
    // Walk-ins skip "requested": their request is the moment they were entered.
    requestedAt: row.requestedAt ?? row.createdAt,
    confirmedAt: row.confirmedAt,
    checkedInAt: row.checkedInAt,
    inConsultAt: row.inConsultAt,
    completedAt: row.completedAt,
  };
}

/** Appointments whose clinic-local day is within `from`–`to` (inclusive), optionally one doctor's. */
export async function appointmentFactsOfDays(
  clinicId: string,
  from: string,
  to: string,
  doctorId?: string,
): Promise<AppointmentFact[]> {
  const filter: Record<string, unknown> = {
    clinicId: new Types.ObjectId(clinicId),
    localDate: { $gte: from, $lte: to },
  };
  if (doctorId) filter.doctorId = new Types.ObjectId(doctorId);
  // Served by { clinicId, localDate, doctorId, status }.
  const rows = await Appointment.find(filter).select(FACT_FIELDS).lean<FactRow[]>();
  return rows.map(toFact);
}

/** Appointments confirmed within [since, until), whatever their day (time-to-confirm is counted when it happens). */
export async function appointmentFactsConfirmedBetween(
  clinicId: string,
  since: Date,
  until: Date,
  doctorId?: string,
): Promise<AppointmentFact[]> {
  const filter: Record<string, unknown> = {
    clinicId: new Types.ObjectId(clinicId),
    confirmedAt: { $gte: since, $lt: until },
  };
  if (doctorId) filter.doctorId = new Types.ObjectId(doctorId);
  const rows = await Appointment.find(filter).select(FACT_FIELDS).lean<FactRow[]>();
  return rows.map(toFact);
}
