/**
 * Issued documents on WhatsApp, as the clinical views show them: each prescription or diet plan
 * version is sent once under its own dedupe key (ids and version only), and views carry that
 * message's state so the doctor sees "sent on WhatsApp".
 */
import { documentDeliveriesOf } from '../messaging/patient-documents.js';
import type { DocumentDelivery } from '../messaging/patient-documents.js';
import type { IssuedView } from './issued-series.js';

/** Which issued series a document belongs to, in messaging's vocabulary. */
export type IssuedDocumentKind = 'prescription' | 'diet_plan';

/** The dedupe key a version is sent under, e.g. `prescription|<id>|v2`. */
export function issuedDedupeKey(kind: IssuedDocumentKind, id: string, version: number): string {
  return `${kind}|${id}|v${version}`;
}

/** `views` with `whatsapp` set: the version's message state, or null when it was not sent. Two queries. */
export async function withWhatsAppState<T extends IssuedView>(
  clinicId: string,
  kind: IssuedDocumentKind,
  views: T[],
): Promise<(T & { whatsapp: DocumentDelivery | null })[]> {
  const keys = views.map((view) => issuedDedupeKey(kind, view.id, view.version));
  const deliveries = await documentDeliveriesOf(clinicId, keys);
  return views.map((view, index) => ({ ...view, whatsapp: deliveries.get(keys[index]!) ?? null }));
}
