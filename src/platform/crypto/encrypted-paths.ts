/**
 * The rules the encrypted-fields plugin applies to filters, updates and raw documents, as plain
 * functions over plain objects. A sealed value is opaque to MongoDB, so: filters may only ask
 * whether an encrypted field is set; updates may only $set, $setOnInsert or $unset a whole
 * encrypted field; blind indexes are written by the plugin, never by callers.
 */
import { AppError } from '../errors.js';
import type { BlindIndexKind } from './blind-index.js';
import { blindIndexOf, fieldCipher } from './keyring.js';
import { isSealed } from './field-cipher.js';

/** A blind index kept beside an encrypted path, e.g. `{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }`. */
export interface BlindIndexSpec {
  path: string;
  indexPath: string;
  kind: BlindIndexKind;
}

/** What a schema encrypts: `scope` is a stable name bound into every ciphertext (e.g. `patient`). */
export interface EncryptedFieldsSpec {
  scope: string;
  paths: readonly string[];
  blindIndexes: readonly BlindIndexSpec[];
}

type Plain = Record<string, unknown>;

const ALLOWED_WRITE_OPERATORS = new Set(['$set', '$setOnInsert', '$unset']);

function refuse(code: string, message: string): AppError {
  return new AppError(code, 500, message);
}

/** The associated-data context of `path` under `spec` (e.g. `patient.phone`). */
export function contextOf(spec: EncryptedFieldsSpec, path: string): string {
  return `${spec.scope}.${path}`;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** True when `key` is `path` itself or one of its ancestors (writing it writes `path` whole). */
function covers(key: string, path: string): boolean {
  return key === path || path.startsWith(`${key}.`);
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a dotted path from a plain object (undefined when any step is missing). */
export function readPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Writes a dotted path into a plain object, creating intermediate objects. */
export function writePath(target: Plain, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Plain;
  }
  node[keys.at(-1)!] = value;
}

/** Only "is it set?" questions can be asked of a sealed value. */
function isPresenceTest(value: unknown): boolean {
  if (value === null) return true;
  if (!isPlainObject(value)) return false;
  return Object.entries(value).every(
    ([operator, operand]) =>
      operator === '$exists' ||
      operator === '$type' ||
      ((operator === '$eq' || operator === '$ne') && operand === null),
  );
}

/** Throws when `filter` compares an encrypted path with a value (it would silently match nothing). */
export function assertFilterAllowed(spec: EncryptedFieldsSpec, filter: unknown): void {
  if (!isPlainObject(filter)) return;
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      for (const branch of value) assertFilterAllowed(spec, branch);
      continue;
    }
    const encrypted = spec.paths.find((path) => overlaps(path, key));
    if (encrypted && !(key === encrypted && isPresenceTest(value))) {
      const hint = spec.blindIndexes.find((index) => index.path === encrypted);
      throw refuse(
        'encrypted_field_query',
        `Cannot filter on encrypted field "${encrypted}"${hint ? `; query its blind index "${hint.indexPath}"` : ''}`,
      );
    }
  }
}

function assertWriteAllowed(spec: EncryptedFieldsSpec, operator: string, key: string): void {
  const index = spec.blindIndexes.find((entry) => overlaps(entry.indexPath, key) && !covers(key, entry.path));
  if (index)
    throw refuse('blind_index_write', `"${index.indexPath}" is maintained from "${index.path}"; write that instead`);
  const encrypted = spec.paths.find((path) => overlaps(path, key));
  if (!encrypted) return;
  // Writing the field or a parent object is fine: mongoose runs the field's setter while casting.
  if (!covers(key, encrypted))
    throw refuse(
      'encrypted_field_partial_update',
      `Encrypted field "${encrypted}" must be written whole, not "${key}"`,
    );
  if (!ALLOWED_WRITE_OPERATORS.has(operator)) {
    throw refuse(
      'encrypted_field_operator',
      `Encrypted field "${encrypted}" supports only $set, $setOnInsert and $unset, not ${operator}`,
    );
  }
}

function indexValue(index: BlindIndexSpec, plain: unknown): string | null {
  return plain === null || plain === undefined ? null : blindIndexOf(index.kind, plain);
}

/** Adds the index of `index.path` to `fields` (a $set-like object) when one of its keys writes that path. */
function indexWrites(index: BlindIndexSpec, fields: Plain): void {
  const key = Object.keys(fields).find((candidate) => covers(candidate, index.path));
  if (key === undefined) return;
  const value = key === index.path ? fields[key] : readPath(fields[key], index.path.slice(key.length + 1));
  const hash = indexValue(index, value);
  const parent = fields[key];
  // An index inside the object being written goes into that object (MongoDB refuses a write to
  // both a path and its parent in one update).
  if (covers(key, index.indexPath) && key !== index.indexPath && isPlainObject(parent))
    writePath(parent, index.indexPath.slice(key.length + 1), hash);
  else fields[index.indexPath] = hash;
}

/**
 * Checks an update (or replacement) and adds the blind index of every indexed path it writes,
 * beside it in the same operator. Mutates and returns `update`.
 */
export function prepareUpdate(spec: EncryptedFieldsSpec, update: unknown): unknown {
  if (Array.isArray(update)) {
    // MongoDB would run the pipeline on sealed strings; nothing here could keep them valid.
    throw refuse('encrypted_field_pipeline', 'Update pipelines are not supported on models with encrypted fields');
  }
  if (!isPlainObject(update)) return update;
  for (const [key, value] of Object.entries(update)) {
    if (!key.startsWith('$')) assertWriteAllowed(spec, '$set', key);
    else if (isPlainObject(value)) for (const path of Object.keys(value)) assertWriteAllowed(spec, key, path);
  }
  for (const index of spec.blindIndexes) {
    // Top-level fields are an implicit $set (operator keys never match a schema path).
    indexWrites(index, update);
    for (const operator of ['$set', '$setOnInsert'] as const) {
      const fields = update[operator];
      if (isPlainObject(fields)) indexWrites(index, fields);
    }
    const unset = update.$unset;
    if (
      isPlainObject(unset) &&
      Object.keys(unset).some((key) => covers(key, index.path) && !covers(key, index.indexPath))
    )
      unset[index.indexPath] = 1;
  }
  return update;
}

/** Sets the blind indexes of a plain document about to be inserted (values still plaintext). */
export function indexPlainDocument(spec: EncryptedFieldsSpec, doc: Plain): void {
  for (const index of spec.blindIndexes) {
    const plain = readPath(doc, index.path);
    if (plain === undefined) continue;
    writePath(doc, index.indexPath, indexValue(index, plain));
  }
}

/** Opens one stored value of `path`; null and undefined pass through. */
export function openField(spec: EncryptedFieldsSpec, path: string, stored: unknown): unknown {
  if (stored === null || stored === undefined) return stored;
  if (!isSealed(stored))
    throw refuse('field_not_encrypted', `Stored ${contextOf(spec, path)} is not encrypted; run npm run keys:rotate`);
  return fieldCipher().decrypt(contextOf(spec, path), stored);
}

/**
 * Seals a value for `path`. When the field already holds a sealed copy of the same value it is
 * kept, so re-assigning an unchanged value does not dirty the document (or its audit diff).
 */
export function sealField(spec: EncryptedFieldsSpec, path: string, value: unknown, prior: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isSealed(prior)) {
    try {
      if (JSON.stringify(fieldCipher().decrypt(contextOf(spec, path), prior)) === JSON.stringify(value)) return prior;
    } catch {
      // An unreadable prior value is simply replaced.
    }
  }
  return fieldCipher().encrypt(contextOf(spec, path), value);
}

/** Opens the sealed paths of a lean (plain) result in place. */
export function decryptPlainDocument(spec: EncryptedFieldsSpec, doc: unknown): void {
  if (!isPlainObject(doc)) return;
  for (const path of spec.paths) {
    const stored = readPath(doc, path);
    if (stored !== undefined) writePath(doc, path, openField(spec, path, stored));
  }
}
