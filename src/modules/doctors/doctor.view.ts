/** What callers see of a doctor: the profile, weekly availability and leaves, ids as strings. */
import type { WeeklyRange } from '../scheduling/slot-generation.js';
import type { DoctorDoc, LeaveKind } from './doctor.model.js';

/** A leave or blocked period: UTC instants, half-open [startAt, endAt). */
export interface LeaveView {
  id: string;
  kind: LeaveKind;
  startAt: Date;
  endAt: Date;
  reason?: string;
}

/** A doctor as the API, the panel and the bot see it. */
export interface DoctorView {
  id: string;
  name: string;
  speciality: string;
  qualifications?: string;
  registrationNumber?: string;
  consultationFeePaise: number;
  weeklyAvailability: WeeklyRange[];
  leaves: LeaveView[];
  active: boolean;
  /** The staff account that signs in as this doctor. */
  staffId?: string;
}

/** Maps a stored doctor to its view (leaves in time order). */
export function toDoctorView(doc: DoctorDoc): DoctorView {
  return {
    id: String(doc._id),
    name: doc.name,
    speciality: doc.speciality,
    ...(doc.qualifications ? { qualifications: doc.qualifications } : {}),
    ...(doc.registrationNumber ? { registrationNumber: doc.registrationNumber } : {}),
    consultationFeePaise: doc.consultationFeePaise,
    weeklyAvailability: (doc.weeklyAvailability ?? []).map((range) => ({
      weekday: range.weekday,
      start: range.start,
      end: range.end,
    })),
    leaves: (doc.leaves ?? [])
      .map((leave) => ({
        id: String(leave._id),
        kind: (leave.kind ?? 'leave') as LeaveKind,
        startAt: leave.startAt,
        endAt: leave.endAt,
        ...(leave.reason ? { reason: leave.reason } : {}),
      }))
      .sort((a, b) => a.startAt.getTime() - b.startAt.getTime()),
    active: doc.active ?? true,
    ...(doc.staffId ? { staffId: String(doc.staffId) } : {}),
  };
}
