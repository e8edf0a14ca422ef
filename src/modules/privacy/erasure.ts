/**
 * Erasure (DPDP Act s. 12(3)), weighed against legal retention: an admin approves the request;
 * then, collection by collection as the data map says, what may go is deleted or irreversibly
 * anonymised (fields removed, the phone number replaced by a random one so its blind index no
 * longer finds it), and what the law makes the clinic keep stays — listed with the rule — in the
 * report the patient reads. Number-linked records are erased only when the number is the
 * patient's own and no other active profile shares it. Portal sessions of the number end.
 */
import { randomInt } from 'node:crypto';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { Runtime } from '../../platform/runtime.js';
import { endPatientSessions } from '../patient-auth/index.js';
import { patientIdsForContact } from '../patients/index.js';
import { DATA_MAP } from './data-map.js';
import { modelNamed, patientKeys, queryFor } from './patient-data.js';
import type { ErasureReport, RightsRequestRecord } from './rights-request.model.js';
import { loadRequest, moveRequest, toRightsView } from './rights.service.js';
import type { RightsRequestView } from './rights.service.js';

/** A fresh number nobody has (+91 0… is not a valid Indian mobile), so the old number's index no longer matches. */
function erasedNumber(): string {
  return `+910${String(randomInt(0, 10 ** 9)).padStart(9, '0')}`;
}

async function carryOut(runtime: Runtime, doc: RightsRequestRecord): Promise<ErasureReport> {
  const keys = await patientKeys(String(doc.clinicId), String(doc.patientId));
  const others = (await patientIdsForContact(keys.clinicId, String(keys.contactId))).filter(
    (id) => id !== String(keys.patientId),
  );
  const report: ErasureReport = { erased: [], anonymised: [], retained: [] };
  for (const entry of DATA_MAP) {
    const query = queryFor(entry, keys);
    if (!query) continue;
    const model = modelNamed(entry.model);
    const { disposition } = entry;
    if (disposition.kind === 'retain') {
      const count = await model.countDocuments(query);
      if (count > 0) report.retained.push({ label: entry.label, count, rule: disposition.rule });
    } else if (disposition.kind === 'erase') {
      const result = await model.deleteMany(query);
      if (result.deletedCount > 0) report.erased.push({ label: entry.label, count: result.deletedCount });
    } else if (entry.link === 'contactSelf') {
      // The number stays while another family profile uses it.
      if (others.length > 0) continue;
      // Saved through the model so the new number is encrypted and re-indexed by the plugin.
      const contact = await model.findOne(query);
      if (!contact) continue;
      contact.set('phone', erasedNumber());
      for (const field of disposition.fields) contact.set(field, undefined);
      await contact.save();
      report.anonymised.push({ label: entry.label, fields: ['phone', ...disposition.fields] });
    } else {
      const unset = Object.fromEntries(disposition.fields.map((field) => [field, 1]));
      const result = await model.updateOne(query, { $unset: unset });
      if (result.matchedCount > 0) report.anonymised.push({ label: entry.label, fields: [...disposition.fields] });
    }
  }
  if (others.length === 0) await endPatientSessions(runtime, String(keys.contactId));
  return report;
}

/**
 * Approves and carries out an erasure request (admin). Declining goes through `declineErasure`
 * with a reason. The request completes with the report.
 */
export async function approveErasure(runtime: Runtime, actor: Actor, requestId: string): Promise<RightsRequestView> {
  assertCan(actor, 'delete', 'privacy_requests');
  const doc = await loadRequest(actor, requestId);
  const started = await moveRequest(actor, doc, ['received', 'in_progress'], 'in_progress', {
    owner: { id: actor.id, roles: [...actor.roles] },
  });
  const report = await carryOut(runtime, started);
  await audit.record({
    actor,
    action: 'patient.erased',
    entity: { type: 'patient', id: doc.patientId },
    diff: [
      { field: 'erased', to: report.erased.map((item) => `${item.label}:${item.count}`).join(',') },
      { field: 'anonymised', to: report.anonymised.map((item) => item.label).join(',') },
      { field: 'retained', to: report.retained.map((item) => `${item.label}:${item.count}`).join(',') },
    ],
  });
  return toRightsView(
    await moveRequest(actor, started, ['in_progress'], 'completed', {
      erasure: report,
      decision: { by: actor.id, at: new Date() },
    }),
  );
}

/** Declines an erasure request with the reason the patient reads (admin). */
export async function declineErasure(actor: Actor, requestId: string, reason: string): Promise<RightsRequestView> {
  assertCan(actor, 'delete', 'privacy_requests');
  const doc = await loadRequest(actor, requestId);
  return toRightsView(
    await moveRequest(actor, doc, ['received', 'in_progress'], 'declined', {
      decision: { reason, by: actor.id, at: new Date() },
    }),
  );
}
