/**
 * Ids of reply buttons and list rows. WhatsApp echoes the id of whatever the patient taps, even
 * on a message sent an hour ago, so each id says which step and which showing of that step it
 * belongs to: `<step>:<token>:<value>`. The conversation compares step and token with where it
 * is now and treats a mismatch as a tap on an old message.
 */

/** The parts of an interactive id. */
export interface InteractiveId {
  /** The conversation step the option belongs to, e.g. `slot`. */
  step: string;
  /** Which showing of that step; changes whenever the step is shown with new options. */
  token: string;
  /** The option itself, e.g. a slot id. May contain `:`. */
  value: string;
}

/** Meta's id limits: list rows take up to 200 characters, reply buttons up to 256. */
export const MAX_ROW_ID_LENGTH = 200;
/** Reply-button id limit. */
export const MAX_BUTTON_ID_LENGTH = 256;

const PART = /^[A-Za-z0-9_.-]+$/;

/** Builds `<step>:<token>:<value>`; throws TypeError for parts that would not parse back (a bug, not input). */
export function encodeInteractiveId(step: string, token: string, value: string): string {
  if (!PART.test(step) || !PART.test(token)) throw new TypeError(`Invalid interactive id step/token: ${step}/${token}`);
  if (value.length === 0) throw new TypeError('Interactive id value must not be empty');
  const id = `${step}:${token}:${value}`;
  if (id.length > MAX_ROW_ID_LENGTH) throw new RangeError(`Interactive id longer than ${MAX_ROW_ID_LENGTH} characters`);
  return id;
}

/** The parts of an id made by `encodeInteractiveId`, or null for anything else (ids from elsewhere, garbage). */
export function parseInteractiveId(id: string): InteractiveId | null {
  const first = id.indexOf(':');
  const second = first < 0 ? -1 : id.indexOf(':', first + 1);
  if (second < 0) return null;
  const step = id.slice(0, first);
  const token = id.slice(first + 1, second);
  const value = id.slice(second + 1);
  if (!PART.test(step) || !PART.test(token) || value.length === 0) return null;
  return { step, token, value };
}
