/**
 * Which unique index a duplicate-key error (E11000) came from. MongoDB reports `keyPattern`;
 * mongo-java-server only names the index in the message, so indexes that callers must tell apart
 * are given explicit names and matched on those.
 */

/** True when `error` is E11000 on the index named `indexName` (any unique index when omitted). */
export function isDuplicateKey(error: unknown, indexName?: string): boolean {
  const candidate = error as { code?: number; message?: string } | null;
  if (candidate?.code !== 11000) return false;
  return indexName === undefined || new RegExp(`index: ${indexName}\\b`).test(candidate.message ?? '');
}
