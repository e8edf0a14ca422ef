/**
 * The access export (DPDP Act s. 11): a job builds, from the data map, one JSON file with every
 * record held about the patient and a readable PDF summary, stores both in document storage, and
 * marks the request completed; the patient downloads them from the portal. Job id
 * `privacy-export-<requestId>`, data ids only; the worker re-reads the request and stops unless
 * it is still open.
 */
import PDFDocument from 'pdfkit';
import type { Job } from 'bullmq';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { createDocumentStorage } from '../../platform/storage/index.js';
import type { DocumentStorage } from '../../platform/storage/index.js';
import type { Queue } from 'bullmq';
import { collectPatientData, patientKeys } from './patient-data.js';
import { RightsRequest } from './rights-request.model.js';
import type { RightsRequestRecord } from './rights-request.model.js';
import { moveRequest } from './rights.service.js';

/** Job data: the request to fulfil. */
export interface ExportJob {
  clinicId: string;
  requestId: string;
}

let queue: Queue<ExportJob> | undefined;
let storage: DocumentStorage | undefined;

/** Fields never exported: keys and hashes that mean nothing to the patient and help an attacker. */
const INTERNAL = new Set([
  'phoneHash',
  'waHash',
  'toHash',
  'codeHash',
  'namePrefixHashes',
  'identityKey',
  'activeKey',
  '__v',
  'prevHash',
  'hash',
]);

function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && value.constructor?.name === 'ObjectId') return String(value);
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !INTERNAL.has(key))
        .map(([key, inner]) => [key, clean(inner)]),
    );
  }
  return value;
}

function renderPdf(summary: {
  title: string;
  generatedAt: string;
  sections: { label: string; lines: string[] }[];
}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: summary.title } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(summary.title);
    doc.fontSize(9).fillColor('#444').text(`Generated ${summary.generatedAt}`).fillColor('#000');
    for (const section of summary.sections) {
      doc.moveDown().fontSize(12).text(section.label);
      doc.fontSize(9);
      for (const line of section.lines) doc.text(line);
    }
    doc.end();
  });
}

function linesOf(documents: Record<string, unknown>[]): string[] {
  return documents.slice(0, 200).map((document) => {
    const flat = Object.entries(document)
      .filter(([key, value]) => !['_id', 'clinicId'].includes(key) && value !== undefined && value !== null)
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join(' · ');
    return flat.length > 900 ? `${flat.slice(0, 900)}…` : flat;
  });
}

/** Storage keys of a request's export (ids only). */
export function exportKeys(doc: Pick<RightsRequestRecord, 'clinicId' | '_id'>): { json: string; pdf: string } {
  const base = `clinics/${String(doc.clinicId)}/privacy-exports/${String(doc._id)}`;
  return { json: `${base}.json`, pdf: `${base}.pdf` };
}

/** Builds and stores the export for an open access request, then completes it. */
export async function runExport(clinicId: string, requestId: string): Promise<string> {
  const doc = await RightsRequest.findOne({ _id: requestId, clinicId }).lean<RightsRequestRecord>();
  if (!doc || doc.kind !== 'access' || !['received', 'in_progress'].includes(doc.status)) return 'skipped';
  if (!storage) throw new AppError('privacy_not_registered', 500, 'The privacy module is not registered');
  const keys = await patientKeys(clinicId, String(doc.patientId));
  const data = await collectPatientData(keys);
  const generatedAt = new Date().toISOString();
  const json = {
    about: 'Everything this clinic holds about you, as of the time below (DPDP Act 2023, s. 11).',
    ackNumber: doc.ackNumber,
    generatedAt,
    collections: data.map(({ entry, collection, documents }) => ({
      collection,
      label: entry.label,
      count: documents.length,
      records: clean(documents),
    })),
  };
  const pdf = await renderPdf({
    title: `Your data — request ${doc.ackNumber}`,
    generatedAt,
    sections: data
      .filter(({ documents }) => documents.length > 0)
      .map(({ entry, documents }) => ({
        label: `${entry.label} (${documents.length})`,
        lines: linesOf(clean(documents) as Record<string, unknown>[]),
      })),
  });
  const paths = exportKeys(doc);
  await storage.put(paths.json, Buffer.from(JSON.stringify(json, null, 2)), 'application/json');
  await storage.put(paths.pdf, pdf, 'application/pdf');
  await moveRequest(systemActor(clinicId, 'worker:privacy-export'), doc, ['received', 'in_progress'], 'completed', {
    export: { jsonKey: paths.json, pdfKey: paths.pdf, readyAt: new Date(), collections: data.length },
  });
  log().info({ requestId, collections: data.length }, 'access export ready');
  return 'completed';
}

/** Defines the export queue and the storage it writes to. */
export function defineExportQueue(runtime: Runtime): void {
  storage = createDocumentStorage(runtime.config);
  queue = runtime.queues.define<ExportJob>({
    name: 'privacy-exports',
    process: (job: Job<ExportJob>) => runExport(job.data.clinicId, job.data.requestId),
    concurrency: 2,
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true },
  });
}

/** Queues the export of `requestId` (a repeat adds nothing: the job id is the request's). */
export async function enqueueExport(clinicId: string, requestId: string): Promise<void> {
  if (!queue) throw new AppError('privacy_not_registered', 500, 'The privacy module is not registered');
  await queue.add('export', { clinicId, requestId }, { jobId: `privacy-export-${requestId}` });
}

/** One file of a completed export, for the portal's download. */
export async function exportFile(doc: RightsRequestRecord, kind: 'json' | 'pdf'): Promise<Buffer | null> {
  const key = kind === 'json' ? doc.export?.jsonKey : doc.export?.pdfKey;
  if (!key || !storage) return null;
  return (await storage.get(key))?.body ?? null;
}
