/**
 * The runner's entry point to the booking conversation: restore a persisted snapshot (or start
 * one), apply one event with xstate's pure `transition()`, and hand back the next persisted
 * snapshot with the ordered effects to perform. Pure and total: whatever the stored snapshot or
 * the event, it returns a result and never throws.
 *
 * Runner loop, per conversation and one event at a time: load {snapshot, version} → step →
 * persist the snapshot conditionally on the one loaded → perform the effects in order, feeding
 * each result event back through `stepConversation` the same way.
 */
import { transition } from 'xstate';
import type { SnapshotFrom, StateValue } from 'xstate';
import { freshContext, tokenFor } from './booking.context.js';
import { BOOKING_MACHINE_VERSION, bookingMachine } from './booking.machine.js';
import { renderReply } from './booking.render.js';
import { LANGS, bookingContextSchema, conversationEventSchema } from './booking.schemas.js';
import type {
  BookingContext,
  BookingEffect,
  ConversationEvent,
  Lang,
  MachineEffect,
  StepEnv,
} from './booking.types.js';

/** Re-exported so the runner imports the conversation from this one module. */
export { BOOKING_MACHINE_VERSION } from './booking.machine.js';

/** Inactivity after which the conversation is closed, unless the runner's config says otherwise. */
export const DEFAULT_INACTIVITY_MS = 30 * 60_000;

/** A live snapshot of the booking machine. */
export type BookingSnapshot = SnapshotFrom<typeof bookingMachine>;

/** The JSON-safe form of a snapshot, as stored per conversation. */
export interface PersistedBookingSnapshot {
  status: string;
  value: StateValue;
  context: BookingContext;
  [key: string]: unknown;
}

/** Why a conversation did not simply continue from its stored snapshot. */
export type RestartReason = 'old_version' | 'unreadable';

/** What `stepConversation` hands back. */
export interface StepResult {
  /** Persist this (with `version`) in place of the snapshot the step started from. */
  snapshot: PersistedBookingSnapshot;
  version: number;
  /** Perform in order; results come back as events (see the effect types). */
  effects: BookingEffect[];
  /** The state path after the step, e.g. `session.chooseSlot`, for logs and metrics (no patient data). */
  state: string;
  /** True while staff own the conversation: the inbox flags it for the front desk. */
  handedOff: boolean;
  /** Set when something unusual happened, for the runner to log; null on an ordinary step. */
  note: RestartReason | 'ignored_invalid_event' | 'recovered_from_error' | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const counter = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;

/**
 * The few fields every version keeps, read defensively from a snapshot that may not parse: the
 * patient's language, whether staff own the chat, and the counters (so new tokens stay new and
 * timeouts scheduled before the restart stay stale).
 */
function salvage(persisted: unknown): { lang: Lang | null; handedOff: boolean; seq: number; turn: number } {
  const context = isRecord(persisted) && isRecord(persisted.context) ? persisted.context : {};
  const lang = LANGS.find((candidate) => candidate === context.lang) ?? null;
  return { lang, handedOff: context.handedOff === true, seq: counter(context.seq), turn: counter(context.turn) };
}

/** A conversation at rest (or with the front desk, if it was) that kept only what `salvage` reads. */
function restarted(persisted: unknown): BookingSnapshot {
  const { lang, handedOff, seq, turn } = salvage(persisted);
  const context: BookingContext = {
    ...freshContext(BOOKING_MACHINE_VERSION),
    lang,
    handedOff,
    turn,
    seq: seq + 1,
    token: tokenFor(BOOKING_MACHINE_VERSION, seq + 1),
    step: handedOff ? 'frontDesk' : 'idle',
  };
  return bookingMachine.resolveState({ value: handedOff ? 'frontDesk' : 'idle', context });
}

function restore(persisted: Record<string, unknown>): BookingSnapshot | null {
  if (persisted.status !== 'active') return null;
  const context = bookingContextSchema.safeParse(persisted.context);
  if (!context.success || context.data.version !== BOOKING_MACHINE_VERSION) return null;
  try {
    return bookingMachine.resolveState({ value: persisted.value as StateValue, context: context.data });
  } catch {
    // An unknown state path: the snapshot is not one this machine wrote.
    return null;
  }
}

/**
 * The live snapshot for a stored one. `null` starts a new conversation (it opens by offering a
 * language). A snapshot of another machine version — `version` as stored beside it, or the one
 * inside it when that is not given — or one that does not parse restarts at rest: its next
 * message is answered with the menu. Staff ownership and the language survive either restart.
 */
export function restoreOrStart(
  persisted: unknown,
  version?: number | null,
): { snapshot: BookingSnapshot; restarted: RestartReason | null } {
  if (persisted === null || persisted === undefined) {
    return {
      snapshot: bookingMachine.resolveState({ value: 'start', context: freshContext(BOOKING_MACHINE_VERSION) }),
      restarted: null,
    };
  }
  const stored =
    version ?? (isRecord(persisted) && isRecord(persisted.context) ? persisted.context.version : undefined);
  if (stored !== BOOKING_MACHINE_VERSION) return { snapshot: restarted(persisted), restarted: 'old_version' };
  const snapshot = isRecord(persisted) ? restore(persisted) : null;
  return snapshot ? { snapshot, restarted: null } : { snapshot: restarted(persisted), restarted: 'unreadable' };
}

/** The JSON-safe form of a live snapshot. */
export function persistSnapshot(snapshot: BookingSnapshot): PersistedBookingSnapshot {
  return bookingMachine.getPersistedSnapshot(snapshot) as unknown as PersistedBookingSnapshot;
}

function statePath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? ['', ''];
  return child === undefined ? key : `${key}.${statePath(child)}`;
}

function finish(effect: MachineEffect, env: StepEnv): BookingEffect[] {
  if (effect.type === 'reply') return renderReply(effect.draft, env).map((message) => ({ type: 'reply', message }));
  if (effect.type === 'scheduleTimeout')
    return [{ type: 'scheduleTimeout', turn: effect.turn, delayMs: env.inactivityMs ?? DEFAULT_INACTIVITY_MS }];
  return [effect];
}

function result(snapshot: BookingSnapshot, effects: BookingEffect[], note: StepResult['note']): StepResult {
  return {
    snapshot: persistSnapshot(snapshot),
    version: BOOKING_MACHINE_VERSION,
    effects,
    state: statePath(snapshot.value),
    handedOff: snapshot.context.handedOff,
    note,
  };
}

/**
 * Applies one event to a stored conversation (`null` for a new one) and returns the next stored
 * snapshot and the effects to perform, replies already rendered in the patient's language.
 * `env.now` stamps the event (consent records carry it). A malformed event changes nothing.
 * Should the machine itself fail, the conversation restarts at rest with an apology and
 * `note: 'recovered_from_error'`, so one bad snapshot can never wedge a patient's chat.
 */
export function stepConversation(persisted: unknown, event: ConversationEvent, env: StepEnv): StepResult {
  const { snapshot, restarted: restartReason } = restoreOrStart(persisted);
  const parsed = conversationEventSchema.safeParse(event);
  if (!parsed.success) return result(snapshot, [], 'ignored_invalid_event');
  try {
    const at = env.now.toISOString();
    const [next, actions] = transition(bookingMachine, snapshot, { ...parsed.data, at });
    // Emitted events are the effects; every other action (assign, raise) has already been applied.
    const effects = actions.flatMap(({ type, params }: { type: string; params?: unknown }) =>
      type === 'xstate.emit' && isRecord(params) && isRecord(params.event)
        ? finish(params.event as MachineEffect, env)
        : [],
    );
    return result(next, effects, restartReason);
  } catch {
    // A broken invariant in the chart: start over rather than leave the patient stuck; the note asks the runner to log it.
    const recovered = restarted({ context: snapshot.context });
    const lang = recovered.context.lang ?? 'en';
    const apology = finish({ type: 'reply', draft: { lang, notice: { key: 'internalError' } } }, env);
    return result(recovered, recovered.context.handedOff ? [] : apology, 'recovered_from_error');
  }
}
