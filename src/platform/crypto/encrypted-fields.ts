/**
 * The mongoose plugin that keeps PHI encrypted at rest while services read and write plain values.
 * A setter seals each listed path (documents, updates, upserts, inserts — mongoose runs setters on
 * all of them) and a getter opens it, so the document in memory holds exactly what is stored.
 * Hooks keep blind indexes in step, open lean results, and refuse queries that would silently
 * misbehave on ciphertext. Native-driver access (`Model.collection`), aggregations and
 * `distinct` see the stored (sealed) values: only the key-rotation script should go that way.
 *
 *   encryptedFields(schema, { scope: 'patient', paths: ['phone', 'emergencyContact'],
 *     blindIndexes: [{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }] });
 *
 * Encrypted paths must be `String` or `Mixed` (objects and arrays are sealed whole; assign a new
 * value rather than mutating one in place) and carry no validators besides `required`: validate
 * plain values with zod in the service, because the model only ever sees ciphertext.
 */
import mongoose from 'mongoose';
import type { AnyBulkWriteOperation, Connection, HydratedDocument, Model, Query, Schema } from 'mongoose';
import { AppError } from '../errors.js';
import { blindIndexOf } from './keyring.js';
import {
  assertFilterAllowed,
  decryptPlainDocument,
  indexPlainDocument,
  openField,
  prepareUpdate,
  sealField,
} from './encrypted-paths.js';
import type { BlindIndexSpec, EncryptedFieldsSpec } from './encrypted-paths.js';

/** Options of `encryptedFields`; `scope` must never change once data exists (it is bound into each ciphertext). */
export interface EncryptedFieldsOptions {
  scope: string;
  paths: readonly string[];
  blindIndexes?: readonly BlindIndexSpec[];
}

const specs = new WeakMap<Schema, EncryptedFieldsSpec>();
/** Schema types already given a sealing setter: a subschema shared by two models must not seal twice. */
const sealedTypes = new WeakSet<object>();

const FILTER_OPS = [
  'find',
  'findOne',
  'countDocuments',
  'distinct',
  'deleteOne',
  'deleteMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;
const UPDATE_OPS = ['updateOne', 'updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace'] as const;
const RESULT_OPS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'] as const;

type AnyQuery = Query<unknown, unknown>;
type AnyDocument = HydratedDocument<unknown>;

function validateOptions(schema: Schema, options: EncryptedFieldsOptions): EncryptedFieldsSpec {
  const fail = (message: string) => new Error(`encryptedFields(${options.scope}): ${message}`);
  if (!/^[a-z][A-Za-z0-9_]{0,39}$/.test(options.scope)) throw fail('scope must be a short identifier');
  if (specs.has(schema)) throw fail('already applied to this schema');
  for (const path of options.paths) {
    const type = schema.path(path);
    if (!type) throw fail(`"${path}" is not a path of the schema`);
    if (type.instance !== 'String' && type.instance !== 'Mixed')
      throw fail(`"${path}" must be String or Mixed (it stores ciphertext)`);
    if (sealedTypes.has(type))
      throw fail(`"${path}" is already encrypted through another schema that shares its subschema`);
    if (type.validators.some((validator: { type?: string }) => validator.type !== 'required')) {
      throw fail(`"${path}" has validators that would run on ciphertext; validate the plain value in the service`);
    }
  }
  for (const index of options.blindIndexes ?? []) {
    if (!options.paths.includes(index.path)) throw fail(`blind index source "${index.path}" is not an encrypted path`);
  }
  return { scope: options.scope, paths: [...options.paths], blindIndexes: [...(options.blindIndexes ?? [])] };
}

function indexDocument(spec: EncryptedFieldsSpec, doc: AnyDocument): void {
  for (const index of spec.blindIndexes) {
    if (!doc.isNew && !doc.isModified(index.path)) continue;
    const plain: unknown = doc.get(index.path);
    doc.set(index.indexPath, plain === null || plain === undefined ? undefined : blindIndexOf(index.kind, plain));
  }
}

function prepareBulkOperation(spec: EncryptedFieldsSpec, operation: AnyBulkWriteOperation): void {
  if ('insertOne' in operation) indexPlainDocument(spec, operation.insertOne.document as Record<string, unknown>);
  for (const kind of ['updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany'] as const) {
    const step = (
      operation as Record<string, { filter?: unknown; update?: unknown; replacement?: unknown } | undefined>
    )[kind];
    if (!step) continue;
    assertFilterAllowed(spec, step.filter);
    if (step.update !== undefined) prepareUpdate(spec, step.update);
    if (step.replacement !== undefined) prepareUpdate(spec, step.replacement);
  }
}

function decryptResult(spec: EncryptedFieldsSpec, query: AnyQuery, result: unknown): void {
  if (!query.mongooseOptions().lean || result === null || result === undefined) return;
  const unwrapped = query.getOptions().includeResultMetadata ? (result as { value?: unknown }).value : result;
  for (const doc of Array.isArray(unwrapped) ? unwrapped : [unwrapped]) decryptPlainDocument(spec, doc);
}

/** Encrypts `options.paths` of every document of the schema's models; see the file comment. */
export function encryptedFields(schema: Schema, options: EncryptedFieldsOptions): void {
  const spec = validateOptions(schema, options);
  specs.set(schema, spec);

  for (const path of spec.paths) {
    const type = schema.path(path);
    sealedTypes.add(type);
    const isString = type.instance === 'String';
    type.set((value: unknown, prior: unknown) => {
      if (isString && value !== null && typeof value === 'object') {
        throw new AppError('field_value_unsupported', 500, `${spec.scope}.${path} takes a string`);
      }
      return sealField(spec, path, isString && value !== null && value !== undefined ? String(value) : value, prior);
    });
    type.get((stored: unknown) => openField(spec, path, stored));
  }
  for (const index of spec.blindIndexes) {
    if (!schema.path(index.indexPath)) schema.add({ [index.indexPath]: { type: String } });
  }
  // Plain values in toJSON/toObject (API responses, AdminJS); mongoose's own writes ignore this.
  for (const option of ['toJSON', 'toObject'] as const) {
    const current = (schema.get(option) ?? {}) as Record<string, unknown>;
    schema.set(option, { virtuals: false, ...current, getters: true });
  }

  schema.pre('validate', function (this: AnyDocument) {
    indexDocument(spec, this);
  });
  schema.pre('save', function (this: AnyDocument) {
    indexDocument(spec, this);
  });
  schema.pre('insertMany', function (next, docs: unknown) {
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc instanceof mongoose.Document) indexDocument(spec, doc as AnyDocument);
      else if (doc && typeof doc === 'object') indexPlainDocument(spec, doc as Record<string, unknown>);
    }
    next();
  });
  schema.pre('bulkWrite', function (next, operations) {
    for (const operation of operations) prepareBulkOperation(spec, operation);
    next();
  });
  schema.pre([...FILTER_OPS], { document: false, query: true }, function (this: AnyQuery) {
    assertFilterAllowed(spec, this.getFilter());
  });
  schema.pre([...UPDATE_OPS], { document: false, query: true }, function (this: AnyQuery) {
    const update = this.getUpdate();
    if (update) this.setUpdate(prepareUpdate(spec, update) as typeof update);
  });
  schema.post([...RESULT_OPS], { document: false, query: true }, function (this: AnyQuery, result: unknown) {
    decryptResult(spec, this, result);
  });
}

/** What `schema` encrypts, if the plugin was applied to it. */
export function encryptedFieldsOf(schema: Schema): EncryptedFieldsSpec | undefined {
  return specs.get(schema);
}

/** Every model on `connection` with encrypted fields, with what each encrypts (key rotation walks these). */
export function encryptedModels(
  connection: Connection = mongoose.connection,
): { model: Model<unknown>; spec: EncryptedFieldsSpec }[] {
  return connection.modelNames().flatMap((name) => {
    const model = connection.model(name);
    const spec = specs.get(model.schema);
    return spec ? [{ model: model as Model<unknown>, spec }] : [];
  });
}
