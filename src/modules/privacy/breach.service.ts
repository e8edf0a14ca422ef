/**
 * The breach register for admins: record an incident (the 72-hour clock starts at discovery),
 * name the affected patients, draft the notice, and record when the Board and the patients were
 * told. The view says how much time is left and whether a deadline was missed.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { nextSequence } from '../../platform/counters.js';
import { conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { Breach } from './breach.model.js';
import type { BreachRecord } from './breach.model.js';

/** Hours from discovery within which the Board (and, without delay, the patients) must be told. */
export const BREACH_NOTICE_HOURS = 72;

/** What an admin records. */
export interface NewBreach {
  discoveredAt: Date;
  occurredAt?: Date;
  description: string;
  dataCategories: string[];
  measures?: string;
  affectedPatientIds: string[];
}

/** A breach as the register shows it. */
export interface BreachView {
  id: string;
  reference: string;
  status: string;
  discoveredAt: string;
  occurredAt?: string;
  description: string;
  dataCategories: string[];
  measures?: string;
  affectedPatients: number;
  affectedPatientIds: string[];
  board: { dueAt: string; notifiedAt?: string; overdue: boolean; hoursLeft: number };
  patients: { dueAt: string; notifiedAt?: string; overdue: boolean; hoursLeft: number };
  noticeText: string;
}

function clock(dueAt: Date, notifiedAt: Date | undefined, now: Date) {
  const hoursLeft = Math.round(((dueAt.getTime() - now.getTime()) / 3_600_000) * 10) / 10;
  return {
    dueAt: dueAt.toISOString(),
    ...(notifiedAt ? { notifiedAt: notifiedAt.toISOString() } : {}),
    overdue: notifiedAt ? notifiedAt > dueAt : now > dueAt,
    hoursLeft: notifiedAt ? 0 : hoursLeft,
  };
}

function toView(doc: BreachRecord, now = new Date()): BreachView {
  return {
    id: String(doc._id),
    reference: doc.reference,
    status: doc.status,
    discoveredAt: doc.discoveredAt.toISOString(),
    ...(doc.occurredAt ? { occurredAt: doc.occurredAt.toISOString() } : {}),
    description: doc.description,
    dataCategories: doc.dataCategories,
    ...(doc.measures ? { measures: doc.measures } : {}),
    affectedPatients: doc.affectedPatientIds.length,
    affectedPatientIds: doc.affectedPatientIds.map(String),
    board: clock(doc.boardDueAt, doc.boardNotifiedAt, now),
    patients: clock(doc.patientsDueAt, doc.patientsNotifiedAt, now),
    noticeText: doc.noticeText,
  };
}

/** The notice to patients the DPDP Rules ask for: what happened, when, the likely consequences, what we did, what they can do, whom to contact. */
export function draftNotice(input: NewBreach, clinicName: string): string {
  return [
    `${clinicName} is writing to tell you about a personal data breach that may affect you.`,
    `What happened: ${input.description}`,
    `When: discovered ${input.discoveredAt.toISOString().slice(0, 10)}${input.occurredAt ? `, began ${input.occurredAt.toISOString().slice(0, 10)}` : ''}.`,
    `Data involved: ${input.dataCategories.join(', ') || 'being assessed'}.`,
    `What we have done: ${input.measures ?? 'contained the incident and are investigating'}.`,
    'What you can do: be careful with calls or messages asking for codes or payments in our name; we never ask for your sign-in code.',
    'Questions or a grievance: reply on WhatsApp with "my data", or use Privacy & my data in the patient portal.',
  ].join('\n');
}

/** Records an incident; the Board and patient deadlines are 72 hours from discovery. */
export async function recordBreach(actor: Actor, input: NewBreach, clinicName: string): Promise<BreachView> {
  assertCan(actor, 'create', 'breaches');
  const year = input.discoveredAt.getUTCFullYear();
  const due = new Date(input.discoveredAt.getTime() + BREACH_NOTICE_HOURS * 3_600_000);
  const doc = (
    await Breach.create({
      clinicId: actor.clinicId,
      reference: `BR-${year}-${String(await nextSequence(`breach-${actor.clinicId}-${year}`)).padStart(4, '0')}`,
      discoveredAt: input.discoveredAt,
      ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
      description: input.description,
      dataCategories: input.dataCategories,
      ...(input.measures ? { measures: input.measures } : {}),
      affectedPatientIds: input.affectedPatientIds,
      boardDueAt: due,
      patientsDueAt: due,
      noticeText: draftNotice(input, clinicName),
      recordedBy: actor.id,
    })
  ).toObject() as BreachRecord;
  await audit.record({
    actor,
    action: 'breach.recorded',
    entity: { type: 'breach', id: doc._id },
    diff: [
      { field: 'reference', to: doc.reference },
      { field: 'affectedPatients', to: doc.affectedPatientIds.length },
      { field: 'boardDueAt', to: doc.boardDueAt.toISOString() },
    ],
  });
  return toView(doc);
}

/** The register, newest first. */
export async function listBreaches(actor: Actor, now = new Date()): Promise<BreachView[]> {
  assertCan(actor, 'read', 'breaches');
  const docs = await Breach.find({ clinicId: actor.clinicId })
    .sort({ discoveredAt: -1 })
    .limit(200)
    .lean<BreachRecord[]>();
  return docs.map((doc) => toView(doc, now));
}

/** Records that the Board or the patients were told (once each); `notified` when both are. */
export async function markNotified(
  actor: Actor,
  breachId: string,
  who: 'board' | 'patients',
  at = new Date(),
): Promise<BreachView> {
  assertCan(actor, 'update', 'breaches');
  if (!/^[0-9a-f]{24}$/i.test(breachId)) throw notFound('Breach');
  const field = who === 'board' ? 'boardNotifiedAt' : 'patientsNotifiedAt';
  const updated = await Breach.findOneAndUpdate(
    { _id: breachId, clinicId: actor.clinicId, [field]: null },
    { $set: { [field]: at }, $inc: { version: 1 } },
    { new: true },
  ).lean<BreachRecord>();
  if (!updated) {
    if (!(await Breach.exists({ _id: breachId, clinicId: actor.clinicId }))) throw notFound('Breach');
    throw conflict(`The ${who === 'board' ? 'Board' : 'patients'} were already notified`);
  }
  let doc = updated;
  if (doc.boardNotifiedAt && doc.patientsNotifiedAt && doc.status === 'open') {
    doc =
      (await Breach.findOneAndUpdate(
        { _id: doc._id, status: 'open' },
        { $set: { status: 'notified' } },
        { new: true },
      ).lean<BreachRecord>()) ?? doc;
  }
  await audit.record({
    actor,
    action: `breach.${who}_notified`,
    entity: { type: 'breach', id: doc._id },
    diff: [{ field, to: at.toISOString() }],
  });
  return toView(doc);
}
