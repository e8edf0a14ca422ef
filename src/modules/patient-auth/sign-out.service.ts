/** Ending patient sessions: this one, or every session of the number (audited). */
import { audit } from '../../platform/audit/audit.service.js';
import type { Runtime } from '../../platform/runtime.js';
import { PatientSessionStore } from './patient-session.store.js';
import type { PatientSession } from './patient-session.js';

/** Ends `session` (and, with `everywhere`, every other session of its number on any device). */
export async function signOutPatient(runtime: Runtime, session: PatientSession, everywhere = false): Promise<void> {
  const store = new PatientSessionStore(runtime.redis, runtime.config);
  const ended = everywhere ? await store.destroyAllFor(session.record.contactId) : 1;
  if (!everywhere) await store.destroy(session.id, session.record.contactId);
  await audit.record({
    actor: session.actor,
    action: everywhere ? 'portal.signed_out_everywhere' : 'portal.signed_out',
    entity: { type: 'contact', id: session.record.contactId },
    diff: [{ field: 'sessions', to: ended }],
  });
}

/** Ends every portal session of the number `contactId` (an erasure, a number taken away). */
export async function endPatientSessions(runtime: Runtime, contactId: string): Promise<number> {
  return new PatientSessionStore(runtime.redis, runtime.config).destroyAllFor(contactId);
}
