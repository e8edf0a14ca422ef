/**
 * audit.record — the one way any service writes to the audit trail.
 *
 * Appending to a hash chain needs "read the head, insert head + 1" to happen as one step, and
 * there are no multi-document transactions here. So the unique index on (clinicId, seq) decides:
 * every appender reads the head and inserts seq + 1 with prevHash = head.hash; if another process
 * got there first the insert fails with E11000 and this one re-reads the head and tries again
 * after a short random pause. Within one process appends to a clinic are queued (so retries only
 * happen between processes) and the head it last wrote is remembered (so an uncontended append
 * is one insert, not a read and an insert).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';
import { log } from '../logger.js';
import { currentRequestId } from '../request-scope.js';
import { AuditEvent } from './audit-event.model.js';
import type { AuditEventRecord } from './audit-event.model.js';
import { GENESIS_HASH, auditEventHash, currentAuditKeyId } from './audit-hash.js';
import type { AuditDiffEntry, HashedAuditFields } from './audit-hash.js';

/** What a service reports: `action` like `appointment.cancel`, the entity it touched, and a diffFields() diff. */
export interface AuditInput {
  actor: Actor;
  action: string;
  entity: { type: string; id: string | { toString(): string } };
  diff?: readonly AuditDiffEntry[];
  /** Defaults to the current request or job id. */
  requestId?: string;
}

/** Where an event landed in its clinic's chain. */
export interface AuditReceipt {
  seq: number;
  hash: string;
  at: Date;
}

const MAX_ATTEMPTS = 40;
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const ENTITY_TYPE = /^[a-z][a-z0-9_]*$/;

/** Tail of the in-process queue per clinic; entries are removed once idle. */
const queues = new Map<string, Promise<unknown>>();

function enqueue<T>(clinicId: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(clinicId) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(clinicId, tail);
  void tail.then(() => {
    if (queues.get(clinicId) === tail) queues.delete(clinicId);
  });
  return run;
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000;
}

function validate(input: AuditInput): void {
  const problems: string[] = [];
  if (!input.actor?.clinicId) problems.push('actor.clinicId is required');
  if (!input.actor?.id) problems.push('actor.id is required');
  if (!ACTION.test(input.action)) problems.push('action must look like "entity.verb"');
  if (!ENTITY_TYPE.test(input.entity?.type ?? '')) problems.push('entity.type must be a lower-case name');
  if (!String(input.entity?.id ?? '')) problems.push('entity.id is required');
  if (problems.length > 0) throw new AppError('audit_invalid', 500, 'Invalid audit event', { problems });
}

type ChainFields = Omit<HashedAuditFields, 'seq' | 'prevHash' | 'at' | 'keyId'>;
type Head = Pick<AuditEventRecord, 'seq' | 'hash'>;

/**
 * The last head this process wrote per clinic. Appending after it skips a read; if another
 * process has appended since, the insert collides and the head is re-read, so it is only a hint.
 */
const knownHeads = new Map<string, Head>();

async function readHead(clinicId: string): Promise<Head | null> {
  return AuditEvent.findOne({ clinicId }, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<Head>();
}

async function insertAfter(fields: ChainFields, head: Head | null): Promise<AuditReceipt> {
  const event: HashedAuditFields = {
    ...fields,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? GENESIS_HASH,
    at: new Date(),
    keyId: currentAuditKeyId(),
  };
  const hash = auditEventHash(event);
  await new AuditEvent({ ...event, hash }).save();
  return { seq: event.seq, hash, at: event.at };
}

async function append(fields: ChainFields): Promise<AuditReceipt> {
  const cached = knownHeads.get(fields.clinicId);
  let head = cached ?? (await readHead(fields.clinicId));
  let headFromCache = Boolean(cached);
  for (let attempt = 1; ; attempt++) {
    try {
      const receipt = await insertAfter(fields, head);
      knownHeads.set(fields.clinicId, { seq: receipt.seq, hash: receipt.hash });
      return receipt;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      knownHeads.delete(fields.clinicId);
      if (attempt >= MAX_ATTEMPTS) {
        log().error(
          { clinicId: fields.clinicId, action: fields.action, attempts: attempt },
          'audit append kept colliding',
        );
        throw new AppError('audit_contention', 503, 'The audit trail is busy; try again');
      }
      // A stale hint is not contention: re-read at once. Otherwise back off with jitter, so
      // racing processes spread out instead of colliding in lockstep.
      if (!headFromCache) await sleep(Math.random() * Math.min(50, 2 ** attempt));
      headFromCache = false;
      head = await readHead(fields.clinicId);
    }
  }
}

/** Appends one event to the actor's clinic chain and resolves once it is stored. */
async function record(input: AuditInput): Promise<AuditReceipt> {
  validate(input);
  const fields = {
    clinicId: input.actor.clinicId,
    actor: { type: input.actor.type, id: input.actor.id, roles: [...input.actor.roles] },
    action: input.action,
    entity: { type: input.entity.type, id: String(input.entity.id) },
    diff: JSON.parse(JSON.stringify(input.diff ?? [])) as AuditDiffEntry[],
    requestId: input.requestId ?? currentRequestId(),
  };
  const receipt = await enqueue(fields.clinicId, () => append(fields));
  log().debug(
    { clinicId: fields.clinicId, seq: receipt.seq, action: fields.action, entityType: fields.entity.type },
    'audit event recorded',
  );
  return receipt;
}

/** The audit trail API services use: `await audit.record({ actor, action, entity, diff })`. */
export const audit = { record };
