/**
 * The content hash a signing event recorded in the audit chain. Signed notes, prescriptions and
 * diet plans store their content hash on the record *and* in the `…signed` / `…issued` audit event;
 * the chain is keyed and anchored outside the database, so a record edited and re-hashed in the
 * database still disagrees with its event, which its verification compares.
 */
import { AuditEvent } from './audit-event.model.js';
import type { AuditDiffEntry } from './audit-hash.js';

/** The `contentHash` recorded by the newest `action` event of the entity, or null when there is none. */
export async function recordedContentHash(
  clinicId: string,
  entity: { type: string; id: string },
  action: string,
): Promise<string | null> {
  // Index: { clinicId, 'entity.type', 'entity.id', seq: -1 }.
  const event = await AuditEvent.findOne(
    { clinicId, 'entity.type': entity.type, 'entity.id': entity.id, action },
    { diff: 1 },
  )
    .sort({ seq: -1 })
    .lean<{ diff: AuditDiffEntry[] }>();
  const entry = event?.diff?.find((change) => change.field === 'contentHash');
  return typeof entry?.to === 'string' ? entry.to : null;
}
