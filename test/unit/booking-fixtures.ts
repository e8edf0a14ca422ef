/**
 * A scripted WhatsApp chat for the booking conversation tests: it plays the runner, stepping the
 * conversation one event at a time and keeping the snapshot only in its stored (JSON) form, the
 * way the database would. Also the sample clinic data the runner would load.
 */
import { expect } from '@jest/globals';
import { stepConversation } from '../../flows/booking.conversation.js';
import type { StepResult } from '../../flows/booking.conversation.js';
import type {
  AppointmentSummary,
  BookingContext,
  BookingEffect,
  BookingTarget,
  ConversationEvent,
  DateOption,
  PatientProfile,
  SlotOption,
  StepEnv,
} from '../../flows/booking.types.js';
import type { OutboundMessage } from '../../src/modules/messaging/whatsapp-messages.js';

/** Monday 13 January 2025, 10:00 in Kolkata. */
export const NOW = new Date('2025-01-13T04:30:00Z');

/** The clinic as the texts see it. */
export const ENV: StepEnv = {
  now: NOW,
  clinic: {
    name: 'Sunrise Clinic',
    timezone: 'Asia/Kolkata',
    phone: '+91 80 4000 1234',
    grievanceContact: 'privacy@sunrise.example',
    privacyNoticeUrl: 'https://sunrise.example/privacy',
  },
};

/** Two specialities and two doctors, doctors first to check the bot sorts specialities first. */
export const CATALOGUE: BookingTarget[] = [
  { kind: 'doctor', doctorId: 'doc-asha', name: 'Dr. Asha Rao', speciality: 'Paediatrics' },
  { kind: 'doctor', doctorId: 'doc-vikram', name: 'Dr. Vikram Mehta', speciality: 'General Medicine' },
  { kind: 'speciality', speciality: 'General Medicine' },
  { kind: 'speciality', speciality: 'Paediatrics' },
];

/** Today, tomorrow and Wednesday have free slots. */
export const DATES: DateOption[] = [
  { date: '2025-01-13', freeSlots: 3 },
  { date: '2025-01-14', freeSlots: 9 },
  { date: '2025-01-15', freeSlots: 1 },
];

/** A free slot of Dr. Asha Rao at `hhmm` IST on `date`. */
export function slot(id: string, date: string, hhmm: string): SlotOption {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  const startAt = new Date(Date.parse(`${date}T00:00:00Z`) + ((hours - 5) * 60 + minutes - 30) * 60_000).toISOString();
  return { slotId: id, startAt, doctorId: 'doc-asha', doctorName: 'Dr. Asha Rao' };
}

/** Tuesday's first page of slots. */
export const SLOTS: SlotOption[] = [
  slot('slot-1030', '2025-01-14', '10:30'),
  slot('slot-1100', '2025-01-14', '11:00'),
  slot('slot-1130', '2025-01-14', '11:30'),
];

/** Ravi holds the number; Anya (7) is his daughter. */
export const PROFILES: PatientProfile[] = [
  { patientId: 'pat-ravi', name: 'Ravi Kumar', relation: 'self', isHolder: true },
  { patientId: 'pat-anya', name: 'Anya Kumar', relation: 'child', isHolder: false },
];

/** An appointment summary as the runner returns it. */
export function appointment(
  id: string,
  startAt: string,
  patientName: string,
  extra: Partial<AppointmentSummary> = {},
): AppointmentSummary {
  return {
    appointmentId: id,
    startAt,
    doctorId: 'doc-asha',
    doctorName: 'Dr. Asha Rao',
    patientName,
    status: 'confirmed',
    ...extra,
  };
}

/** Ravi's two upcoming appointments. */
export const APPOINTMENTS: AppointmentSummary[] = [
  appointment('appt-1', slot('x', '2025-01-14', '10:30').startAt, 'Ravi Kumar'),
  appointment('appt-2', slot('x', '2025-01-15', '17:00').startAt, 'Anya Kumar'),
];

/** The text a message shows the patient (body, or caption). */
export function bodyOf(message: OutboundMessage): string {
  switch (message.kind) {
    case 'text':
    case 'buttons':
    case 'list':
    case 'cta_url':
      return message.body;
    case 'document':
      return message.caption ?? '';
    case 'template':
      return message.bodyParameters.join(' ');
  }
}

/** Every option (button or row) of an interactive message. */
export function optionsOf(message: OutboundMessage): { id: string; title: string }[] {
  if (message.kind === 'buttons') return message.buttons;
  if (message.kind === 'list') return message.sections.flatMap((section) => section.rows);
  return [];
}

/** The replies among effects. */
export function repliesOf(effects: readonly BookingEffect[]): OutboundMessage[] {
  return effects.flatMap((effect) => (effect.type === 'reply' ? [effect.message] : []));
}

/** The effects other than replies and timeouts: what the runner must call. */
export function serviceEffects(effects: readonly BookingEffect[]): BookingEffect[] {
  return effects.filter((effect) => effect.type !== 'reply' && effect.type !== 'scheduleTimeout');
}

/** A chat with one patient number, stepping the conversation like the runner does. */
export class Chat {
  stored: unknown = null;
  last: StepResult | null = null;
  /** Every interactive message the bot sent, for tapping old buttons later. */
  readonly sent: OutboundMessage[] = [];

  constructor(private readonly env: StepEnv = ENV) {}

  /** Steps one event; the snapshot is kept only as JSON, as the database would keep it. */
  send(event: ConversationEvent, env: StepEnv = this.env): BookingEffect[] {
    const result = stepConversation(this.stored, event, env);
    this.stored = JSON.parse(JSON.stringify(result.snapshot));
    this.last = result;
    this.sent.push(...repliesOf(result.effects));
    return result.effects;
  }

  /** The patient types `text`. */
  say(text: string): BookingEffect[] {
    return this.send({ type: 'TEXT', text });
  }

  /** The patient taps the option whose title contains `title`, on the latest message offering one. */
  tap(title: string | RegExp): BookingEffect[] {
    return this.send({ type: 'TAP', id: this.optionId(title) });
  }

  /** The id of the option whose title matches, on the latest message that has one. */
  optionId(title: string | RegExp): string {
    for (const message of [...this.sent].reverse()) {
      const option = optionsOf(message).find((candidate) =>
        typeof title === 'string' ? candidate.title.includes(title) : title.test(candidate.title),
      );
      if (option) return option.id;
    }
    throw new Error(`No option titled ${String(title)} was offered`);
  }

  /** The state path after the last step. */
  get state(): string {
    return this.last?.state ?? 'none';
  }

  /** The stored context. */
  get context(): BookingContext {
    return (this.stored as { context: BookingContext }).context;
  }

  /** The replies of the last step. */
  get replies(): OutboundMessage[] {
    return repliesOf(this.last?.effects ?? []);
  }

  /** The last reply's body. */
  get lastBody(): string {
    const reply = this.replies[this.replies.length - 1];
    return reply ? bodyOf(reply) : '';
  }

  /** Asserts the last step asked the runner for exactly these service calls (replies and timeouts aside). */
  expectCalls(...expected: ({ type: BookingEffect['type'] } & Record<string, unknown>)[]): void {
    const calls = serviceEffects(this.last?.effects ?? []);
    expect(calls).toHaveLength(expected.length);
    expected.forEach((call, index) => expect(calls[index]).toMatchObject(call));
  }
}

/** A chat that has chosen `lang` and sits at the menu. */
export function chatAtMenu(lang: 'en' | 'hi' = 'en'): Chat {
  const chat = new Chat();
  chat.say('hi');
  chat.tap(lang === 'en' ? 'English' : 'हिन्दी');
  return chat;
}

/** A chat at the slot list for Tuesday with Dr. Asha Rao. */
export function chatAtSlots(lang: 'en' | 'hi' = 'en'): Chat {
  const chat = chatAtMenu(lang);
  chat.say('1');
  chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
  chat.tap('Dr. Asha Rao');
  chat.send({ type: 'DATES_LOADED', dates: DATES });
  chat.say('2');
  chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: true });
  return chat;
}
