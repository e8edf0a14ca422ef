/**
 * Which fields a change touched, in a form safe to keep forever: non-PHI values as they were,
 * PHI values as keyed digests (HMAC-SHA256, not bare sha256 — a phone number has so few
 * possibilities that a plain hash could be reversed by trying them all). The digest still shows
 * that a value changed, and someone holding the key can confirm a suspected value.
 */
import type { Schema } from 'mongoose';
import { encryptedFieldsOf } from '../crypto/encrypted-fields.js';
import { phiDigest } from '../crypto/keyring.js';
import { canonicalJson } from './audit-hash.js';
import type { AuditDiffEntry } from './audit-hash.js';

/** Options of `diffFields`. */
export interface DiffOptions {
  /** Fields whose values are PHI: recorded as `{ digest }`, never as plaintext. Encrypted fields of mongoose documents are added automatically. */
  phi?: readonly string[];
  /** Compare only these fields (default: every field of either side). */
  fields?: readonly string[];
  /** Never compare these (default: _id, __v, createdAt, updatedAt). */
  ignore?: readonly string[];
}

// `object` rather than Record<string, unknown>: typed views (interfaces) must be accepted as they are.
type Snapshot = object | null | undefined;

interface HasToObject {
  toObject(options: Record<string, unknown>): Record<string, unknown>;
  schema?: Schema;
}

/** Top-level fields holding encrypted paths of a mongoose document: PHI by definition. */
function encryptedTopLevel(snapshot: Snapshot | HasToObject): string[] {
  const schema = (snapshot as HasToObject | null | undefined)?.schema;
  const spec = schema ? encryptedFieldsOf(schema) : undefined;
  return spec ? spec.paths.map((path) => path.split('.')[0]!) : [];
}

function plain(snapshot: Snapshot | HasToObject): Record<string, unknown> {
  if (!snapshot) return {};
  if (typeof (snapshot as HasToObject).toObject === 'function') {
    return (snapshot as HasToObject).toObject({ getters: true, virtuals: false, depopulate: true });
  }
  return snapshot as Record<string, unknown>;
}

/** JSON form of a value (ObjectIds and Dates become strings), so stored diffs hash stably. */
function jsonValue(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
}

function recorded(value: unknown, isPhi: boolean): unknown {
  if (value === undefined || value === null || !isPhi) return value;
  return { digest: phiDigest(canonicalJson(value)) };
}

/**
 * The fields that differ between `before` and `after` (plain objects or mongoose documents;
 * null `before` means created, null `after` means removed), sorted by name. PHI fields — those in
 * `options.phi`, plus the encrypted fields of documents — are digested; everything else is
 * recorded as is, so list every PHI field that is not encrypted (names, for instance).
 */
export function diffFields(
  before: Snapshot | HasToObject,
  after: Snapshot | HasToObject,
  options: DiffOptions = {},
): AuditDiffEntry[] {
  const old = plain(before);
  const next = plain(after);
  const ignore = new Set(options.ignore ?? ['_id', '__v', 'createdAt', 'updatedAt']);
  const phi = new Set([...(options.phi ?? []), ...encryptedTopLevel(before), ...encryptedTopLevel(after)]);
  const fields = options.fields ?? [...new Set([...Object.keys(old), ...Object.keys(next)])];
  const entries: AuditDiffEntry[] = [];
  for (const field of [...fields].sort()) {
    if (ignore.has(field)) continue;
    const from = jsonValue(old[field]);
    const to = jsonValue(next[field]);
    if (canonicalJson(from) === canonicalJson(to)) continue;
    const entry: AuditDiffEntry = { field };
    if (from !== undefined) entry.from = recorded(from, phi.has(field));
    if (to !== undefined) entry.to = recorded(to, phi.has(field));
    entries.push(entry);
  }
  return entries;
}
