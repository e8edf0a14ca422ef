/**
 * Re-encrypts every encrypted field of every model under the current data key, and refreshes
 * blind indexes (so a new BLIND_INDEX_KEY takes effect the same way). Documents are read in _id
 * order in batches through the native driver, and each is written with a conditional update that
 * matches the values it read: if someone edits the document in between, the write misses, the
 * document is re-read and planned again, so a concurrent edit is never overwritten. Values that
 * are still plaintext (a field that became encrypted after data existed) are encrypted too.
 * Running it again finds nothing to do.
 */
import type { Collection, Document as RawDocument, Filter } from 'mongodb';
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { AppError } from '../errors.js';
import { log } from '../logger.js';
import { encryptedModels } from './encrypted-fields.js';
import { contextOf, readPath } from './encrypted-paths.js';
import type { EncryptedFieldsSpec } from './encrypted-paths.js';
import { isSealed, sealedKeyId } from './field-cipher.js';
import { blindIndexOf, fieldCipher } from './keyring.js';

/** Counts for one model (or the total). */
export interface RotationCounts {
  scanned: number;
  /** Documents rewritten (or, in a dry run, that would be). */
  rotated: number;
  /** Field values re-encrypted under the current key. */
  fields: number;
  /** Blind index values recomputed. */
  indexes: number;
  /** Documents skipped because they kept changing under us; run again. */
  conflicts: number;
  /** Documents that could not be decrypted (unknown key id, or altered); logged by _id. */
  failed: number;
}

/** Result of a rotation run. */
export interface RotationReport {
  currentKeyId: string;
  dryRun: boolean;
  models: Record<string, RotationCounts>;
  total: RotationCounts;
}

/** What one document needs: the $set that brings it up to date, and what it changes. */
export interface RotationPlan {
  set: Record<string, unknown>;
  fields: number;
  indexes: number;
}

/** What happened to one document: rewritten (with its plan), already current, deleted meanwhile, still changing, or unreadable. */
export type RotationOutcome =
  | { status: 'rotated'; plan: RotationPlan }
  | { status: 'current' | 'gone' | 'conflict' | 'failed' };

const MAX_ATTEMPTS = 3;

function emptyCounts(): RotationCounts {
  return { scanned: 0, rotated: 0, fields: 0, indexes: 0, conflicts: 0, failed: 0 };
}

function planRotation(spec: EncryptedFieldsSpec, raw: RawDocument): RotationPlan {
  const cipher = fieldCipher();
  const plan: RotationPlan = { set: {}, fields: 0, indexes: 0 };
  const plain = new Map<string, unknown>();
  for (const path of spec.paths) {
    const stored = readPath(raw, path);
    if (stored === undefined || stored === null) continue;
    const context = contextOf(spec, path);
    const value = isSealed(stored) ? cipher.decrypt(context, stored) : stored;
    plain.set(path, value);
    if (!isSealed(stored) || sealedKeyId(stored) !== cipher.currentKeyId) {
      plan.set[path] = cipher.encrypt(context, value);
      plan.fields++;
    }
  }
  for (const index of spec.blindIndexes) {
    const value = plain.get(index.path);
    const expected = value === undefined ? null : blindIndexOf(index.kind, value);
    if ((readPath(raw, index.indexPath) ?? null) !== expected) {
      plan.set[index.indexPath] = expected;
      plan.indexes++;
    }
  }
  return plan;
}

/**
 * Brings one raw document up to date with a conditional write; re-reads and re-plans when the
 * document changed since `raw` was read. Exported so the conflict path can be tested directly.
 */
export async function rotateDocument(
  collection: Collection,
  spec: EncryptedFieldsSpec,
  raw: RawDocument,
  { dryRun = false } = {},
): Promise<RotationOutcome> {
  let current: RawDocument | null = raw;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && current; attempt++) {
    let plan: RotationPlan;
    try {
      plan = planRotation(spec, current);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'unexpected';
      log().error(
        { collection: collection.collectionName, id: String(current._id), code },
        'key rotation could not decrypt a document',
      );
      return { status: 'failed' };
    }
    if (Object.keys(plan.set).length === 0) return { status: 'current' };
    if (dryRun) return { status: 'rotated', plan };
    // Match every value the plan replaces, exactly as read: a concurrent edit makes this miss.
    const filter: Filter<RawDocument> = { _id: current._id };
    for (const path of Object.keys(plan.set)) filter[path] = readPath(current, path) ?? null;
    const result = await collection.updateOne(filter, { $set: plan.set });
    if (result.matchedCount === 1) return { status: 'rotated', plan };
    current = await collection.findOne({ _id: current._id });
  }
  return { status: current ? 'conflict' : 'gone' };
}

async function rotateModel(
  collection: Collection,
  spec: EncryptedFieldsSpec,
  batchSize: number,
  dryRun: boolean,
): Promise<RotationCounts> {
  const counts = emptyCounts();
  let lastId: RawDocument['_id'];
  for (;;) {
    const batch = await collection
      .find(lastId === undefined ? {} : { _id: { $gt: lastId } })
      .sort({ _id: 1 })
      .limit(batchSize)
      .toArray();
    if (batch.length === 0) return counts;
    for (const raw of batch) {
      counts.scanned++;
      const outcome = await rotateDocument(collection, spec, raw, { dryRun });
      if (outcome.status === 'rotated') {
        counts.rotated++;
        counts.fields += outcome.plan.fields;
        counts.indexes += outcome.plan.indexes;
      } else if (outcome.status === 'conflict') counts.conflicts++;
      else if (outcome.status === 'failed') counts.failed++;
    }
    lastId = batch.at(-1)!._id;
  }
}

/** Rotates every model with encrypted fields on `connection`; see the file comment. */
export async function rotateEncryptionKeys({
  connection = mongoose.connection,
  batchSize = 200,
  dryRun = false,
}: { connection?: Connection; batchSize?: number; dryRun?: boolean } = {}): Promise<RotationReport> {
  const report: RotationReport = { currentKeyId: fieldCipher().currentKeyId, dryRun, models: {}, total: emptyCounts() };
  for (const { model, spec } of encryptedModels(connection)) {
    const counts = await rotateModel(model.collection, spec, batchSize, dryRun);
    report.models[model.modelName] = counts;
    for (const key of Object.keys(counts) as (keyof RotationCounts)[]) report.total[key] += counts[key];
    log().info({ model: model.modelName, ...counts, dryRun }, 'key rotation: model done');
  }
  return report;
}
