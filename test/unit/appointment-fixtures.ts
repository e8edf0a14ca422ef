/** Shared fixtures for the appointment lifecycle tests: one appointment, its actors, and instants around it. */
import type { AppointmentContext, EventActor } from '../../flows/appointment.machine.js';

/** Monday 10 March 2025, 11:00 IST. */
export const START = '2025-03-10T05:30:00.000Z';
const START_MS = Date.parse(START);

/** An ISO instant `minutes` after the appointment start (negative: before). */
export const atMinutes = (minutes: number): string => new Date(START_MS + minutes * 60_000).toISOString();
/** An ISO instant `hours` after the appointment start (negative: before). */
export const atHours = (hours: number): string => atMinutes(hours * 60);

/** A context with prepayment outstanding; override what a test needs. */
export function makeContext(overrides: Partial<AppointmentContext> = {}): AppointmentContext {
  return {
    appointmentId: 'appt-1',
    patientId: 'patient-1',
    doctorId: 'doctor-1',
    startAt: START,
    timezone: 'Asia/Kolkata',
    prepaymentPaise: 50_000,
    paidPaise: 0,
    holdExpiresAt: atHours(-24),
    noShowGraceMinutes: 15,
    cancellation: { patientCutoffHours: 2, fullRefundHours: 24, partialRefundHours: 4, partialRefundPercent: 50 },
    ...overrides,
  };
}

/** Every kind of sender the role tests try. */
export const ACTORS = {
  ownPatient: { type: 'patient', id: 'patient-1', roles: ['patient'], patientIds: ['patient-1'] },
  // A parent on a shared WhatsApp number acting for the family member who has the appointment.
  familyPatient: { type: 'patient', id: 'patient-7', roles: ['patient'], patientIds: ['patient-7', 'patient-1'] },
  otherPatient: { type: 'patient', id: 'patient-9', roles: ['patient'], patientIds: ['patient-9'] },
  ownDoctor: { type: 'staff', id: 'user-doc-1', roles: ['doctor'], doctorId: 'doctor-1' },
  otherDoctor: { type: 'staff', id: 'user-doc-2', roles: ['doctor'], doctorId: 'doctor-2' },
  frontdesk: { type: 'staff', id: 'user-fd', roles: ['frontdesk'] },
  accounts: { type: 'staff', id: 'user-acc', roles: ['accounts'] },
  pharmacy: { type: 'staff', id: 'user-ph', roles: ['pharmacy'] },
  admin: { type: 'staff', id: 'user-admin', roles: ['admin'] },
  system: { type: 'system', id: 'worker:appointments', roles: [] },
} satisfies Record<string, EventActor>;
/** Name of one fixture actor. */
export type ActorName = keyof typeof ACTORS;
/** All fixture actor names. */
export const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];
