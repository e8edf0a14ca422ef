/**
 * Failures the Graph API stand-in simulates, chosen by the last four digits of the recipient's
 * wa_id, so tests and people can exercise retries and failures without mocks:
 *
 * | wa_id ends in | the stand-in                                                              |
 * | ------------- | ------------------------------------------------------------------------- |
 * | `0429`        | 429 (Graph code 130429) to the first attempt of each message, then accepts |
 * | `0500`        | 500 (code 131000) to the first attempt of each message, then accepts       |
 * | `0400`        | 400 (code 131026, undeliverable) every time: a permanent failure           |
 * | `0470`        | accepts, then reports `failed` (code 131047, re-engagement needed)         |
 * | `0204`        | accepts and reports no status at all                                      |
 *
 * "Each message" is told apart by a digest of the request body; the memory of first attempts is
 * per process and bounded.
 */
import { createHash } from 'node:crypto';

/** A simulated failure. */
export type SandboxFault =
  | { kind: 'reject_once'; httpStatus: number; code: number }
  | { kind: 'reject'; httpStatus: number; code: number }
  | { kind: 'fail_status'; code: number }
  | { kind: 'silent' };

/** The magic suffixes and what each does. */
export const SANDBOX_FAULTS: Record<string, SandboxFault> = {
  '0429': { kind: 'reject_once', httpStatus: 429, code: 130429 },
  '0500': { kind: 'reject_once', httpStatus: 500, code: 131000 },
  '0400': { kind: 'reject', httpStatus: 400, code: 131026 },
  '0470': { kind: 'fail_status', code: 131047 },
  '0204': { kind: 'silent' },
};

/** The fault for recipient `to`, if its last four digits are magic. */
export function faultFor(to: string): SandboxFault | undefined {
  return SANDBOX_FAULTS[to.slice(-4)];
}

const MEMORY = 10_000;
const rejectedOnce = new Set<string>();

/** True the first time this exact request body is seen (the stand-in rejects it then). */
export function firstAttempt(rawBody: Buffer | string): boolean {
  const digest = createHash('sha256').update(rawBody).digest('hex');
  if (rejectedOnce.has(digest)) return false;
  if (rejectedOnce.size >= MEMORY) rejectedOnce.clear();
  rejectedOnce.add(digest);
  return true;
}
