/**
 * Allocating consecutive document numbers, gap-free and without duplicates, with no
 * transactions. The counter in platform/counters.ts is atomic, but the number it hands out and
 * the document that carries it would be two writes, and a crash between them leaves a gap the
 * GST rules do not allow. Here the number and its owner are ONE insert into the register
 * (document-number.model.ts): insert head + 1; a unique index settles races between processes
 * (the loser re-reads the head and takes the next), and within one process the allocations of
 * a series are queued and remember the head, so an uncontended allocation is a single insert.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../platform/errors.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { DocumentNumber } from './document-number.model.js';
import type { DocumentNumberRecord, Series } from './document-number.model.js';
import { financialYearOf, formatDocumentNumber } from './financial-year.js';

/** A number given to a document. */
export interface AllocatedNumber {
  series: Series;
  financialYear: string;
  seq: number;
  number: string;
}

const MAX_ATTEMPTS = 50;
const queues = new Map<string, Promise<unknown>>();

function enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function toAllocated(row: Pick<DocumentNumberRecord, 'series' | 'financialYear' | 'seq' | 'number'>): AllocatedNumber {
  return { series: row.series, financialYear: row.financialYear, seq: row.seq, number: row.number };
}

/** The number `documentKey` already holds, if any. */
export async function numberOf(clinicId: string, documentKey: string): Promise<AllocatedNumber | null> {
  const row = await DocumentNumber.findOne({ clinicId, documentKey }).lean<DocumentNumberRecord>();
  return row ? toAllocated(row) : null;
}

/**
 * The last seq this process allocated per series-year. Inserting after it skips a read; if
 * another process allocated since, the insert collides and the head is re-read — only a hint.
 */
const knownHeads = new Map<string, number>();

async function readHead(clinicId: string, series: Series, financialYear: string): Promise<number> {
  const head = await DocumentNumber.findOne({ clinicId, series, financialYear }, { seq: 1 })
    .sort({ seq: -1 })
    .lean<Pick<DocumentNumberRecord, 'seq'>>();
  return head?.seq ?? 0;
}

async function insertNext(
  clinicId: string,
  series: Series,
  financialYear: string,
  documentKey: string,
): Promise<AllocatedNumber> {
  const queueKey = `${clinicId}|${series}|${financialYear}`;
  const cached = knownHeads.get(queueKey);
  let head = cached ?? (await readHead(clinicId, series, financialYear));
  let fromCache = cached !== undefined;
  for (let attempt = 1; ; attempt++) {
    const seq = head + 1;
    try {
      const row = await DocumentNumber.create({
        clinicId,
        series,
        financialYear,
        seq,
        number: formatDocumentNumber(series, financialYear, seq),
        documentKey,
      });
      knownHeads.set(queueKey, seq);
      return toAllocated(row);
    } catch (error) {
      knownHeads.delete(queueKey);
      if (isDuplicateKey(error, 'document_number_owner_unique')) {
        const existing = await numberOf(clinicId, documentKey);
        if (existing) return existing;
      }
      if (!isDuplicateKey(error)) throw error;
      if (attempt >= MAX_ATTEMPTS)
        throw new AppError('document_number_contention', 503, 'Numbering is busy; try again');
      // A stale hint is not contention: re-read at once. Otherwise another process took this
      // number: back off a little so racers spread out.
      if (!fromCache) await sleep(Math.random() * Math.min(20, 2 ** attempt));
      fromCache = false;
      head = await readHead(clinicId, series, financialYear);
    }
  }
}

/**
 * The next number of `series` in the financial year of `localDate` for `documentKey` — or the
 * number that document already holds, so retries are safe.
 */
export async function allocateNumber(
  clinicId: string,
  series: Series,
  localDate: string,
  documentKey: string,
): Promise<AllocatedNumber> {
  const existing = await numberOf(clinicId, documentKey);
  if (existing) return existing;
  const financialYear = financialYearOf(localDate);
  // Within the queue a repeat of this document is caught by the owner index, so no second lookup.
  return enqueue(`${clinicId}|${series}|${financialYear}`, () =>
    insertNext(clinicId, series, financialYear, documentKey),
  );
}
