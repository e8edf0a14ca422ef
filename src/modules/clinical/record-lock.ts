/**
 * Model-level locks for clinical records, so integrity does not depend on every service being
 * careful: whatever code calls `updateOne` on a signed visit or an issued prescription is refused
 * by the model itself.
 *
 * Every top-level path of a locked schema is one of:
 * - `draftOnly`: writable only while the record is still a draft. The hook pins the draft state
 *   into the update's filter, so the check and the write are one atomic step even when a sign-off
 *   races the update; when that makes the update match nothing and a locked record did match the
 *   caller's filter, the query fails with a 409 instead of silently doing nothing.
 * - `mutable`: may be `$set` / `$unset` at any time (bookkeeping such as a stored PDF's key).
 * - `appendOnly`: may only grow through `$push` (addenda).
 * - `counters`: may only count up by a positive `$inc` (the addenda count a conditional append relies on).
 * - anything else: fixed at insert; every update touching it throws.
 *
 * Replacements, deletions, upserts, bulk writes and re-saving a loaded document are refused
 * outright: records are inserted once and then changed only through conditional updates.
 * Native-driver writes (`Model.collection`) bypass hooks; the content hashes catch those.
 */
import type { HydratedDocument, Query, Schema } from 'mongoose';
import { AppError, conflict } from '../../platform/errors.js';

/** Which paths of a schema may change, and how. */
export interface LockRules {
  /** Name used in error messages, e.g. `visit`. */
  entity: string;
  mutable?: readonly string[];
  appendOnly?: readonly string[];
  counters?: readonly string[];
  /** Mutable paths that may be set to one value only, e.g. `{ status: 'superseded' }` (a one-way change). */
  setOnlyTo?: Readonly<Record<string, unknown>>;
  /** Paths writable only while `field` equals `value`; `lockedMessage` explains the 409 otherwise. */
  draftOnly?: { paths: readonly string[]; field: string; value: string; lockedMessage: string };
}

type AnyQuery = Query<unknown, unknown>;
type Update = Record<string, unknown>;

/** Paths mongoose maintains itself on every update. */
const ALWAYS_WRITABLE = new Set(['updatedAt']);
const UPDATE_OPS = ['updateOne', 'updateMany', 'findOneAndUpdate'] as const;
const REFUSED_QUERY_OPS = ['replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/** Filters of queries whose draft guard the hook added, for the post hook's "was it locked?" check. */
const guardedFilters = new WeakMap<object, Update>();

function refused(entity: string, message: string): AppError {
  return new AppError('record_locked', 500, `${entity}: ${message}`);
}

function topLevel(path: string): string {
  return path.split('.')[0]!;
}

/** (operator, top-level path, value) of every write of an update; bare keys are an implicit $set. */
function writesOf(update: Update): [string, string, unknown][] {
  const writes: [string, string, unknown][] = [];
  for (const [key, value] of Object.entries(update)) {
    if (!key.startsWith('$')) {
      writes.push(['$set', topLevel(key), value]);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [path, target] of Object.entries(value as Update)) {
      writes.push([key, topLevel(path), target]);
      // $rename writes its target path too.
      if (key === '$rename' && typeof target === 'string') writes.push([key, topLevel(target), undefined]);
    }
  }
  return writes;
}

/** Throws unless every write is allowed; returns true when a draft-only path is written. */
function checkWrites(rules: LockRules, update: Update): boolean {
  let touchesDraft = false;
  for (const [operator, path, value] of writesOf(update)) {
    // Upserts are refused, so $setOnInsert (mongoose adds createdAt) never writes anything.
    if (ALWAYS_WRITABLE.has(path) || operator === '$setOnInsert') continue;
    if (rules.appendOnly?.includes(path)) {
      if (operator !== '$push') throw refused(rules.entity, `"${path}" is append-only; only $push may change it`);
    } else if (rules.counters?.includes(path)) {
      if (operator !== '$inc' || typeof value !== 'number' || value <= 0)
        throw refused(rules.entity, `"${path}" only counts up; only a positive $inc may change it`);
    } else if (rules.mutable?.includes(path)) {
      if (operator !== '$set' && operator !== '$unset')
        throw refused(rules.entity, `"${path}" may only be $set or $unset`);
      const only = rules.setOnlyTo?.[path];
      if (only !== undefined && (operator !== '$set' || value !== only))
        throw refused(rules.entity, `"${path}" may only change to ${JSON.stringify(only)}`);
    } else if (rules.draftOnly?.paths.includes(path)) {
      touchesDraft = true;
    } else {
      throw refused(rules.entity, `"${path}" is fixed once the record exists`);
    }
  }
  return touchesDraft;
}

function guardDraft(rules: NonNullable<LockRules['draftOnly']>, entity: string, query: AnyQuery): void {
  const filter = query.getFilter();
  const pinned = filter[rules.field];
  if (pinned !== undefined && pinned !== rules.value) {
    throw refused(entity, `draft-only paths can be written only where ${rules.field} is "${rules.value}"`);
  }
  guardedFilters.set(query, { ...filter });
  query.where({ [rules.field]: rules.value });
}

/** After a guarded update matched nothing: a 409 if the caller's filter did match a locked record. */
async function explainNoMatch(rules: NonNullable<LockRules['draftOnly']>, query: AnyQuery): Promise<void> {
  const filter = guardedFilters.get(query);
  if (!filter) return;
  const locked = await query.model.exists({ ...filter, [rules.field]: { $ne: rules.value } });
  if (locked) throw conflict(rules.lockedMessage, { reason: 'record_locked' });
}

/** Applies `rules` to `schema`; see the file comment. */
export function lockRecords(schema: Schema, rules: LockRules): void {
  schema.pre([...UPDATE_OPS], { document: false, query: true }, function (this: AnyQuery) {
    if (this.getOptions().upsert) throw refused(rules.entity, 'records are inserted with create(), never upserted');
    const update = this.getUpdate();
    if (Array.isArray(update)) throw refused(rules.entity, 'update pipelines are not allowed');
    if (!update) return;
    const touchesDraft = checkWrites(rules, update as Update);
    if (touchesDraft && rules.draftOnly) guardDraft(rules.draftOnly, rules.entity, this);
  });
  if (rules.draftOnly) {
    const draft = rules.draftOnly;
    schema.post(
      ['updateOne', 'updateMany'],
      { document: false, query: true },
      async function (this: AnyQuery, result: unknown) {
        if (((result as { matchedCount?: number } | null)?.matchedCount ?? 0) === 0) await explainNoMatch(draft, this);
      },
    );
    schema.post('findOneAndUpdate', { document: false, query: true }, async function (this: AnyQuery, result: unknown) {
      const value = this.getOptions().includeResultMetadata ? (result as { value?: unknown } | null)?.value : result;
      if (value === null || value === undefined) await explainNoMatch(draft, this);
    });
  }
  schema.pre([...REFUSED_QUERY_OPS], { document: false, query: true }, function () {
    throw refused(rules.entity, 'records are never replaced or deleted');
  });
  schema.pre('deleteOne', { document: true, query: false }, function () {
    throw refused(rules.entity, 'records are never deleted');
  });
  schema.pre('bulkWrite', function () {
    throw refused(rules.entity, 'bulk writes bypass the record lock');
  });
  schema.pre('save', function (this: HydratedDocument<unknown>) {
    if (!this.isNew) throw refused(rules.entity, 'a loaded record is never re-saved; use a conditional update');
  });
}
