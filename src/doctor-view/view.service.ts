/**
 * What the doctor's pages show, gathered from the services that own it (appointments for the
 * queue and who is still expected, patients for names, clinical for everything clinical — which
 * checks the care window and audits every read). Nothing here queries the database itself or
 * decides access.
 */
import { createHash } from 'node:crypto';
import type { AppointmentStatus } from '../../flows/appointment.types.js';
import { getAppointment, listAppointments } from '../modules/appointments/appointment.service.js';
import { dayQueue } from '../modules/appointments/walk-in.service.js';
import type { QueueEntry } from '../modules/appointments/walk-in.service.js';
import { verifyVisitIntegrity } from '../modules/clinical/addendum.js';
import { abnormalAlertStamps, listAbnormalResults } from '../modules/clinical/lab.service.js';
import type { LabTestView } from '../modules/clinical/lab.views.js';
import type { IntegrityReport } from '../modules/clinical/note-hash.js';
import { getConsultBundle, getVisitBundle } from '../modules/clinical/visit-bundle.service.js';
import type { VisitBundle } from '../modules/clinical/visit-bundle.service.js';
import { visitOfAppointment } from '../modules/clinical/visit.service.js';
import { patientsByIds } from '../modules/patients/patient-search.service.js';
import { localDateOf } from '../modules/scheduling/clinic-time.js';
import type { Actor } from '../platform/actor.js';

/** A patient as a queue row or alert shows them. */
export interface PatientLine {
  id: string;
  name: string;
  code: string;
  age: number;
  ageExact: boolean;
  sex?: string;
  allergies: string[];
}

/** A booked patient expected today who has not arrived: confirmed (check-in offered) or held awaiting prepayment. */
export interface ExpectedEntry {
  appointmentId: string;
  patientId: string;
  status: Extract<AppointmentStatus, 'confirmed' | 'tentative'>;
  startAt: Date;
}

/** The queue page: today's patients by state and the abnormal results waiting for this doctor. */
export interface QueueView {
  date: string;
  /** Booked for today and not checked in yet, by time. */
  expected: ExpectedEntry[];
  waiting: QueueEntry[];
  inConsult: QueueEntry[];
  done: QueueEntry[];
  alerts: LabTestView[];
  patients: Map<string, PatientLine>;
}

type DoctorActor = Actor & { doctorId: string };

async function patientLines(actor: Actor, ids: string[]): Promise<Map<string, PatientLine>> {
  const found = await patientsByIds(actor, ids);
  return new Map(
    found.map((patient) => [
      patient.id,
      {
        id: patient.id,
        name: patient.name,
        code: patient.code,
        age: patient.age,
        ageExact: patient.ageExact,
        ...(patient.sex ? { sex: patient.sex } : {}),
        allergies: patient.medicalFlags?.allergies ?? [],
      },
    ]),
  );
}

const byStatus = (entries: QueueEntry[], status: AppointmentStatus) =>
  entries.filter((entry) => entry.status === status);

/** The doctor's bookings for `date` that are confirmed or held (two reads on the day-list index, side by side). */
async function expectedOn(actor: DoctorActor, date: string): Promise<ExpectedEntry[]> {
  const lists = await Promise.all(
    (['confirmed', 'tentative'] as const).map((status) =>
      listAppointments(actor, { date, doctorId: actor.doctorId, status, limit: 200 }),
    ),
  );
  return lists
    .flat()
    .map((appointment) => ({
      appointmentId: appointment.id,
      patientId: appointment.patientId,
      status: appointment.status as ExpectedEntry['status'],
      startAt: appointment.startAt,
    }))
    .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.appointmentId.localeCompare(b.appointmentId));
}

/** Today's queue of the signed-in doctor (never another doctor's), who is still expected, and their open abnormal results. */
export async function queueView(actor: DoctorActor, timeZone: string): Promise<QueueView> {
  const date = localDateOf(new Date(), timeZone);
  const [queue, expected, alerts] = await Promise.all([
    dayQueue(actor, actor.doctorId, date),
    expectedOn(actor, date),
    listAbnormalResults(actor, { acknowledged: 'exclude' }),
  ]);
  const patients = await patientLines(
    actor,
    [...queue.entries, ...expected, ...alerts].map((entry) => entry.patientId),
  );
  return {
    date: queue.date,
    expected,
    waiting: byStatus(queue.entries, 'checked_in'),
    inConsult: byStatus(queue.entries, 'in_consult'),
    done: byStatus(queue.entries, 'completed'),
    alerts,
    patients,
  };
}

function digest(date: string, entries: QueueEntry[], expected: ExpectedEntry[], alertStamps: string[]): string {
  const parts = [
    date,
    ...entries.map((entry) => `${entry.appointmentId}:${entry.status}`),
    // The time too: a booking moved within the day shows a new time.
    ...expected.map((entry) => `${entry.appointmentId}:${entry.status}@${entry.startAt.getTime()}`),
    ...[...alertStamps].sort(),
  ];
  return createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 22);
}

/** The fingerprint of a queue view already gathered (same digest as `queueFingerprint`, no extra reads). */
export function fingerprintOf(view: QueueView): string {
  const entries = [...view.inConsult, ...view.waiting, ...view.done];
  return digest(
    view.date,
    entries,
    view.expected,
    view.alerts.map((alert) => `${alert.id}@${alert.resultedAt ? new Date(alert.resultedAt).getTime() : 0}`),
  );
}

/**
 * A short digest of what the queue page shows (appointment states, who is expected and open
 * abnormal results), so the page's script can poll cheaply and reload the queue only when
 * something changed: a booking confirmed (its prepayment paid), checked in, moved or cancelled.
 */
export async function queueFingerprint(
  actor: DoctorActor,
  timeZone: string,
): Promise<{ fingerprint: string; alerts: number }> {
  const date = localDateOf(new Date(), timeZone);
  const [queue, expected, stamps] = await Promise.all([
    dayQueue(actor, actor.doctorId, date),
    expectedOn(actor, date),
    abnormalAlertStamps(actor),
  ]);
  return { fingerprint: digest(queue.date, queue.entries, expected, stamps), alerts: stamps.length };
}

/** The visit page: the bundle and, once signed, the recomputed hash check. */
export interface VisitPageData {
  bundle: VisitBundle;
  integrity?: IntegrityReport;
  /** The visit is the signed-in doctor's own (only then is anything editable). */
  own: boolean;
}

/** Everything the visit page shows; audited by the clinical services. */
export async function visitPageData(actor: DoctorActor, visitId: string): Promise<VisitPageData> {
  const bundle = await getVisitBundle(actor, visitId);
  const integrity = bundle.visit.status === 'signed' ? await verifyVisitIntegrity(actor, visitId) : undefined;
  return { bundle, ...(integrity ? { integrity } : {}), own: bundle.visit.doctorId === actor.doctorId };
}

/** The visit of an appointment (opened now for the appointment's own doctor if check-in did not). */
export async function visitIdOfAppointment(actor: DoctorActor, appointmentId: string): Promise<string> {
  const appointment = await getAppointment(actor, appointmentId);
  const visit = await visitOfAppointment(actor.clinicId, appointment.id);
  return visit ? String(visit._id) : (await getConsultBundle(actor, appointment.id)).visit.id;
}
