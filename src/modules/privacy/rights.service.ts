/**
 * Data-principal requests: filing (by the patient in the portal or on WhatsApp, or by the front
 * desk for them), the patient's view of their status, the staff queue, taking ownership, and
 * decisions. Access requests are produced by a job (access-export.ts); erasure is carried out by
 * erasure.ts once an admin approves it. Every state change is a conditional write on the status,
 * a history entry and an audit event (ids and statuses only, never what the patient wrote).
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { nextSequence } from '../../platform/counters.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { loadPatient } from '../patients/index.js';
import { RightsRequest } from './rights-request.model.js';
import type { RightsKind, RightsRequestRecord, RightsStatus } from './rights-request.model.js';

/** The DPDP Rules give a data fiduciary up to 90 days to answer; the clinic aims well within it. */
export const RESPONSE_DAYS = 90;

/** What the patient may write with a request. */
export interface RightsDetails {
  text?: string;
  /** For a correction: which detail is wrong. */
  field?: string;
  /** For a nomination: the person who may act for the patient. */
  nominee?: { name: string; phone: string; relation: string };
}

/** A request as the patient and staff see it. */
export interface RightsRequestView {
  id: string;
  patientId: string;
  kind: RightsKind;
  status: RightsStatus;
  ackNumber: string;
  channel: string;
  receivedAt: string;
  dueAt: string;
  details?: RightsDetails;
  owner?: { id: string; roles: string[] };
  decision?: { reason?: string; at: string };
  exportReady: boolean;
  erasure?: RightsRequestRecord['erasure'];
  history: { status: RightsStatus; at: string; note?: string }[];
}

/** Maps a stored request to its view. */
export function toRightsView(doc: RightsRequestRecord): RightsRequestView {
  return {
    id: String(doc._id),
    patientId: String(doc.patientId),
    kind: doc.kind,
    status: doc.status,
    ackNumber: doc.ackNumber,
    channel: doc.channel,
    receivedAt: doc.receivedAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    ...(doc.details ? { details: doc.details } : {}),
    ...(doc.owner?.id ? { owner: { id: doc.owner.id, roles: doc.owner.roles } } : {}),
    ...(doc.decision?.at
      ? {
          decision: {
            ...(doc.decision.reason ? { reason: doc.decision.reason } : {}),
            at: doc.decision.at.toISOString(),
          },
        }
      : {}),
    exportReady: Boolean(doc.export?.readyAt),
    ...(doc.erasure ? { erasure: doc.erasure } : {}),
    history: doc.history.map((entry) => ({
      status: entry.status,
      at: entry.at.toISOString(),
      ...(entry.note ? { note: entry.note } : {}),
    })),
  };
}

const isId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

/** Loads a request of the actor's clinic the actor may `read` (404 otherwise, also for other patients' ids). */
export async function loadRequest(actor: Actor, requestId: string): Promise<RightsRequestRecord> {
  if (!isId(requestId)) throw notFound('Request');
  const doc = await RightsRequest.findOne({ _id: requestId, clinicId: actor.clinicId }).lean<RightsRequestRecord>();
  if (!doc) throw notFound('Request');
  try {
    assertCan(actor, 'read', 'privacy_requests', { clinicId: doc.clinicId, patientId: doc.patientId });
  } catch {
    throw notFound('Request');
  }
  return doc;
}

/** Files a request for `patientId` (one open request of a kind at a time; a repeat answers the open one). */
export async function fileRightsRequest(
  actor: Actor,
  patientId: string,
  input: { kind: RightsKind; channel: 'portal' | 'whatsapp' | 'frontdesk'; details?: RightsDetails },
  now = new Date(),
): Promise<{ request: RightsRequestView; created: boolean }> {
  const patient = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'create', 'privacy_requests', { clinicId: actor.clinicId, patientId: patient._id });
  if (input.kind === 'correction' && !input.details?.text)
    throw unprocessable('Say what is wrong and what it should be', { reason: 'details_required' });
  if (input.kind === 'grievance' && !input.details?.text)
    throw unprocessable('Describe the grievance', { reason: 'details_required' });
  if (input.kind === 'nomination' && !input.details?.nominee)
    throw unprocessable('Name the person who may act for you', { reason: 'nominee_required' });
  // Access and erasure are about the whole record: a second one while one is open adds nothing.
  if (input.kind === 'access' || input.kind === 'erasure') {
    const open = await RightsRequest.findOne({
      clinicId: actor.clinicId,
      patientId: patient._id,
      kind: input.kind,
      status: { $in: ['received', 'in_progress'] },
    }).lean<RightsRequestRecord>();
    if (open) return { request: toRightsView(open), created: false };
  }
  const year = now.getUTCFullYear();
  const sequence = await nextSequence(`dpr-${actor.clinicId}-${year}`);
  const doc = (
    await RightsRequest.create({
      _id: new Types.ObjectId(),
      clinicId: actor.clinicId,
      patientId: patient._id,
      contactId: patient.contactId,
      kind: input.kind,
      status: 'received',
      ackNumber: `DPR-${year}-${String(sequence).padStart(6, '0')}`,
      channel: input.channel,
      receivedAt: now,
      dueAt: new Date(now.getTime() + RESPONSE_DAYS * 86_400_000),
      ...(input.details ? { details: input.details } : {}),
      filedBy: { type: actor.type, id: actor.id },
      history: [{ status: 'received', at: now, by: actor.id }],
    })
  ).toObject() as RightsRequestRecord;
  await audit.record({
    actor,
    action: 'privacy_request.filed',
    entity: { type: 'rights_request', id: doc._id },
    diff: [
      { field: 'kind', to: doc.kind },
      { field: 'patientId', to: String(doc.patientId) },
      { field: 'ackNumber', to: doc.ackNumber },
      { field: 'channel', to: doc.channel },
    ],
  });
  return { request: toRightsView(doc), created: true };
}

/** A patient's requests, newest first. */
export async function listPatientRequests(actor: Actor, patientId: string): Promise<RightsRequestView[]> {
  assertCan(actor, 'read', 'privacy_requests', { clinicId: actor.clinicId, patientId });
  if (!isId(patientId)) return [];
  const docs = await RightsRequest.find({ clinicId: actor.clinicId, patientId })
    .sort({ receivedAt: -1 })
    .limit(100)
    .lean<RightsRequestRecord[]>();
  return docs.map(toRightsView);
}

/** The staff queue: open requests by deadline (or every request with `status`). */
export async function rightsQueue(
  actor: Actor,
  filter: { status?: RightsStatus; kind?: RightsKind } = {},
): Promise<RightsRequestView[]> {
  assertCan(actor, 'approve', 'privacy_requests');
  const docs = await RightsRequest.find({
    clinicId: actor.clinicId,
    status: filter.status ?? { $in: ['received', 'in_progress'] },
    ...(filter.kind ? { kind: filter.kind } : {}),
  })
    .sort({ dueAt: 1 })
    .limit(200)
    .lean<RightsRequestRecord[]>();
  return docs.map(toRightsView);
}

/**
 * Moves a request from one of `from` to `to` (one conditional write on status and version);
 * 409 with the current status when someone else moved it first. Records history and audit.
 */
export async function moveRequest(
  actor: Actor,
  doc: RightsRequestRecord,
  from: readonly RightsStatus[],
  to: RightsStatus,
  extra: Record<string, unknown> = {},
  note?: string,
): Promise<RightsRequestRecord> {
  if (!from.includes(doc.status))
    throw conflict(`This request is ${doc.status.replace('_', ' ')}`, { currentStatus: doc.status });
  const now = new Date();
  const updated = await RightsRequest.findOneAndUpdate(
    { _id: doc._id, clinicId: doc.clinicId, status: doc.status, version: doc.version },
    {
      $set: { status: to, ...extra },
      $push: { history: { status: to, at: now, by: actor.id, ...(note ? { note } : {}) } },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<RightsRequestRecord>();
  if (!updated) {
    const current = await RightsRequest.findOne({ _id: doc._id }).lean<RightsRequestRecord>();
    throw conflict('This request changed meanwhile; reload it', { currentStatus: current?.status });
  }
  await audit.record({
    actor,
    action: `privacy_request.${to}`,
    entity: { type: 'rights_request', id: doc._id },
    diff: [
      { field: 'status', from: doc.status, to },
      { field: 'kind', to: doc.kind },
    ],
  });
  return updated;
}

/** A staff member takes a request (it shows as theirs in the queue). */
export async function takeRequest(actor: Actor, requestId: string): Promise<RightsRequestView> {
  assertCan(actor, 'approve', 'privacy_requests');
  const doc = await loadRequest(actor, requestId);
  return toRightsView(
    await moveRequest(actor, doc, ['received'], 'in_progress', { owner: { id: actor.id, roles: [...actor.roles] } }),
  );
}

/**
 * Decides a correction, grievance or nomination: `completed` (done, with what was done) or
 * `declined` (with the reason the patient will read). Access and erasure finish through their
 * own paths.
 */
export async function decideRequest(
  actor: Actor,
  requestId: string,
  input: { outcome: 'completed' | 'declined'; reason: string },
): Promise<RightsRequestView> {
  assertCan(actor, 'approve', 'privacy_requests');
  const doc = await loadRequest(actor, requestId);
  if (doc.kind === 'access' || doc.kind === 'erasure')
    throw conflict(`A ${doc.kind} request is completed by its own action`, { currentStatus: doc.status });
  const updated = await moveRequest(actor, doc, ['received', 'in_progress'], input.outcome, {
    decision: { reason: input.reason, by: actor.id, at: new Date() },
  });
  return toRightsView(updated);
}
