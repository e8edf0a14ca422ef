/**
 * Where billing PDFs live: the platform's document storage (a local folder, or S3 in
 * production), under keys made of ids only. Mongoose-free services cannot be handed the runtime
 * deep inside a payment or a webhook, so the billing module installs the storage here at boot
 * (as the keyring is installed for field encryption). A missing PDF is rendered again from its
 * record — rendering is deterministic, so the copy is the same document.
 */
import type { Config } from '../../../config.js';
import { AppError } from '../../../platform/errors.js';
import { log } from '../../../platform/logger.js';
import { createDocumentStorage } from '../../../platform/storage/index.js';
import type { DocumentStorage } from '../../../platform/storage/index.js';

interface Installed {
  storage: DocumentStorage;
  unicodeFontPath?: string;
}

let installed: Installed | undefined;

/** Installs storage and fonts from config (the billing module does this when it registers). */
export function configureBillingDocuments(config: Config): void {
  installed = { storage: createDocumentStorage(config), unicodeFontPath: config.documents.unicodeFontPath };
}

function current(): Installed {
  if (!installed)
    throw new AppError(
      'documents_not_configured',
      500,
      'Billing documents are not configured: register the billing module at boot',
    );
  return installed;
}

/** The TrueType font for names the standard fonts cannot show, if configured. */
export function unicodeFontPath(): string | undefined {
  return current().unicodeFontPath;
}

/** The kinds of billing document and their folders. */
export type BillingDocumentKind = 'invoices' | 'credit-notes' | 'receipts' | 'refund-vouchers';

/** `clinics/<clinicId>/<kind>/<id>.pdf` — ids only, never names. */
export function documentKey(clinicId: string, kind: BillingDocumentKind, id: string): string {
  return `clinics/${clinicId}/${kind}/${id}.pdf`;
}

/** Renders and stores a document (overwriting any previous copy). */
export async function storePdf(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
  const body = await render();
  await current().storage.put(key, body, 'application/pdf');
  return body;
}

/** The stored PDF, rendered and stored first when it is missing. */
export async function storedPdf(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
  const existing = await current().storage.get(key);
  return existing ? existing.body : storePdf(key, render);
}

/**
 * Renders and stores a document as a side effect of an operation that already succeeded: a
 * failure is logged (ids only) and the PDF is rendered again when first asked for.
 */
export async function storePdfQuietly(key: string, render: () => Promise<Buffer>): Promise<void> {
  try {
    await storePdf(key, render);
  } catch (error) {
    log().warn({ err: error, key }, 'billing document not stored; it will be rendered on first request');
  }
}
