/**
 * The Today board's data: for the clinic's day, per doctor, the appointments in time order with
 * status, token and the patient's name and code (names only for roles that read patients),
 * waiting / in-consultation counts, holds about to lapse with their payment state, walk-ins, the
 * chats waiting for a person. Everything through module services, as the signed-in actor.
 */
import { listAppointments } from '../../src/modules/appointments/index.js';
import type { AppointmentView } from '../../src/modules/appointments/index.js';
import { getClinic } from '../../src/modules/clinics/index.js';
import { listHandedOff } from '../../src/modules/conversations/index.js';
import { listDoctors } from '../../src/modules/doctors/index.js';
import { patientsByIds } from '../../src/modules/patients/index.js';
import type { Actor } from '../../src/platform/actor.js';
import { can } from '../../src/platform/rbac/index.js';

/** One row of a doctor's day. */
export interface BoardEntry {
  id: string;
  time: string;
  status: string;
  tokenNumber?: number;
  walkIn: boolean;
  patient: string;
  /** Seconds until an unpaid hold lapses. */
  holdLeftSeconds?: number;
  paid: string;
}

/** One doctor's column. */
export interface BoardDoctor {
  id: string;
  name: string;
  speciality: string;
  waiting: number;
  inConsult: number;
  entries: BoardEntry[];
}

/** The whole board. */
export interface TodayBoard {
  date: string;
  clinicName: string;
  doctors: BoardDoctor[];
  handoffs: { id: string; phoneMasked: string; since?: string }[];
  /** A fingerprint of what is shown, so the page re-renders only on change. */
  version: string;
}

function clinicDate(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function clinicTime(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

const rupees = (paise: number) => `₹${Math.round(paise / 100)}`;

/** The board for the actor's clinic, today (clinic time). */
export async function todayBoard(actor: Actor, now = new Date()): Promise<TodayBoard> {
  const clinic = await getClinic(actor.clinicId);
  const date = clinicDate(now, clinic.timezone);
  const [appointments, doctors, handoffs] = await Promise.all([
    listAppointments(actor, { date }),
    listDoctors(actor),
    can(actor, 'read', 'conversations') ? listHandedOff(actor) : Promise.resolve([]),
  ]);
  const patients = can(actor, 'read', 'patients')
    ? new Map(
        (
          await patientsByIds(
            actor,
            appointments.map((a) => a.patientId),
          )
        ).map((p) => [p.id, `${p.name} · ${p.code}`]),
      )
    : new Map<string, string>();
  const byDoctor = new Map<string, AppointmentView[]>();
  for (const appointment of appointments) {
    if (appointment.status === 'cancelled') continue;
    byDoctor.set(appointment.doctorId, [...(byDoctor.get(appointment.doctorId) ?? []), appointment]);
  }
  const columns: BoardDoctor[] = doctors
    .filter((doctor) => doctor.active || byDoctor.has(doctor.id))
    .map((doctor) => {
      const day = byDoctor.get(doctor.id) ?? [];
      return {
        id: doctor.id,
        name: doctor.name,
        speciality: doctor.speciality,
        waiting: day.filter((a) => a.status === 'checked_in').length,
        inConsult: day.filter((a) => a.status === 'in_consult').length,
        entries: day.map((a) => ({
          id: a.id,
          time: clinicTime(a.startAt, clinic.timezone),
          status: a.status,
          ...(a.tokenNumber ? { tokenNumber: a.tokenNumber } : {}),
          walkIn: a.walkIn,
          patient: patients.get(a.patientId) ?? 'Patient',
          ...(a.status === 'tentative' && a.holdExpiresAt
            ? { holdLeftSeconds: Math.max(0, Math.round((new Date(a.holdExpiresAt).getTime() - now.getTime()) / 1000)) }
            : {}),
          paid: a.prepaymentPaise > 0 ? `${rupees(a.paidPaise)} of ${rupees(a.prepaymentPaise)}` : '',
        })),
      };
    });
  const board = {
    date,
    clinicName: clinic.name,
    doctors: columns,
    handoffs: handoffs.map((h) => ({
      id: h.id,
      phoneMasked: h.phoneMasked,
      ...(h.handedOffAt ? { since: clinicTime(new Date(h.handedOffAt), clinic.timezone) } : {}),
    })),
  };
  const fingerprint = JSON.stringify({
    d: columns.map((c) => c.entries.map((e) => [e.id, e.status, e.tokenNumber])),
    h: board.handoffs.map((h) => h.id),
  });
  return { ...board, version: String(fingerprint.length) + ':' + hash(fingerprint) };
}

function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
