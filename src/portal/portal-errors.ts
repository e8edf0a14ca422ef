/** Turning a service's refusal into what the portal shows. */
import { AppError, notFound } from '../platform/errors.js';

/**
 * Runs `work`; a 403 (a record rule: not this family's) becomes 404, so another patient's ids
 * look exactly like ids that do not exist. Business refusals (409, 422) come back as their message.
 */
export async function asPatient<T>(work: () => Promise<T>): Promise<T | { refused: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && (error.status === 403 || error.status === 404)) throw notFound('Record');
    if (error instanceof AppError && (error.status === 409 || error.status === 422)) return { refused: error.message };
    throw error;
  }
}

/** True when `value` is a refusal from `asPatient`. */
export function isRefusal(value: unknown): value is { refused: string } {
  return typeof value === 'object' && value !== null && 'refused' in value;
}

/** Runs a read; 403 becomes 404 (see asPatient). */
export async function readAsPatient<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.status === 403) throw notFound('Record');
    throw error;
  }
}
