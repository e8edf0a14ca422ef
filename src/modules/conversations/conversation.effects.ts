/**
 * Performs the booking machine's service effects by calling the domain services, and turns each
 * outcome into the event the machine expects back. Patients act through their contact's patient
 * actor (RBAC "own patient"); registering a new number is done by the bot's system actor, since
 * WhatsApp itself has verified the number.
 */
import type {
  AppointmentSummary,
  BookingFailure,
  BookingTarget,
  ConversationEvent,
  NewPatient,
  ConsentRecord,
  ServiceEffect,
} from '../../../flows/booking.types.js';
import type { Actor } from '../../platform/actor.js';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import {
  listAppointments,
  rescheduleAppointment,
  transitionAppointment,
  bookAppointment,
} from '../appointments/appointment.service.js';
import type { AppointmentView } from '../appointments/appointment.view.js';
import { cancellationTerms } from '../appointments/index.js';
import { consultationFeePaise } from '../billing/index.js';
import { getClinic } from '../clinics/clinic.service.js';
import { bookableDoctors } from '../doctors/doctor.service.js';
import { recordConsent } from '../patients/consent.service.js';
import { contactActor, contactRecordByPhone } from '../patients/contact.service.js';
import { getPatient, registerPatient } from '../patients/patient.service.js';
import { addLocalDays, localDateOf } from '../scheduling/clinic-time.js';
import { searchFreeSlots } from '../scheduling/slot-search.service.js';
import { requestPaymentLink } from './payment-links.js';

/** Who the conversation is with: the clinic and the WhatsApp id (digits of the E.164 number). */
export interface ConversationParty {
  clinicId: string;
  conversationId: string;
  waId: string;
}

const e164Of = (waId: string) => `+${waId}`;

/** The patient actor for this number (no profiles yet: an actor that owns nothing). */
export async function partyActor(party: ConversationParty): Promise<Actor> {
  const contact = await contactRecordByPhone(party.clinicId, e164Of(party.waId));
  if (!contact)
    return {
      type: 'patient',
      id: `wa:${party.conversationId}`,
      roles: ['patient'],
      clinicId: party.clinicId,
      patientIds: [],
    };
  return contactActor(party.clinicId, String(contact._id));
}

const botActor = (clinicId: string) => systemActor(clinicId, 'whatsapp:bot');

function targetFilter(target: BookingTarget): { doctorId?: string; speciality?: string } {
  return target.kind === 'doctor' ? { doctorId: target.doctorId } : { speciality: target.speciality };
}

/**
 * Upcoming appointments as the bot shows them; with `termsFor`, each also carries what cancelling
 * it now would mean for that actor (the refund by the clinic's rules, or that it is too late).
 */
async function summaries(
  clinicId: string,
  appointments: AppointmentView[],
  termsFor?: Actor,
): Promise<AppointmentSummary[]> {
  const doctors = new Map((await bookableDoctors(clinicId, {})).map((doctor) => [doctor.id, doctor.name]));
  const bot = botActor(clinicId);
  const names = new Map<string, string>();
  for (const id of new Set(appointments.map((appointment) => appointment.patientId)))
    names.set(id, (await getPatient(bot, id)).name);
  const terms = new Map<string, AppointmentSummary['cancelTerms']>();
  if (termsFor) {
    for (const appointment of appointments) {
      const { allowed, paidPaise, refundPaise, noRefundHours, cutoffHours } = await cancellationTerms(
        termsFor,
        appointment.id,
      );
      terms.set(appointment.id, { allowed, paidPaise, refundPaise, noRefundHours, cutoffHours });
    }
  }
  return appointments.map((appointment) => ({
    ...(terms.has(appointment.id) ? { cancelTerms: terms.get(appointment.id) } : {}),
    appointmentId: appointment.id,
    startAt: appointment.startAt.toISOString(),
    doctorId: appointment.doctorId,
    doctorName: doctors.get(appointment.doctorId) ?? 'Doctor',
    patientName: names.get(appointment.patientId) ?? 'Patient',
    status: appointment.status,
    ...(appointment.holdExpiresAt ? { holdExpiresAt: appointment.holdExpiresAt.toISOString() } : {}),
    ...(appointment.prepaymentPaise ? { prepaymentPaise: appointment.prepaymentPaise } : {}),
  }));
}

/** One appointment as the bot shows it. */
export async function summaryOf(clinicId: string, appointment: AppointmentView): Promise<AppointmentSummary> {
  return (await summaries(clinicId, [appointment]))[0]!;
}

function bookingFailure(error: unknown): BookingFailure {
  if (!(error instanceof AppError)) return 'error';
  const reason = error.details?.reason;
  if (reason === 'slot_taken' || reason === 'slot_in_past' || reason === 'same_slot') return 'slot_taken';
  if (reason === 'patient_double_booked') return 'overlapping_appointment';
  if (error.status === 403 || error.status === 422 || error.status === 404) return 'not_allowed';
  return 'error';
}

async function register(
  party: ConversationParty,
  patient: NewPatient,
  consent: ConsentRecord,
): Promise<ConversationEvent> {
  const bot = botActor(party.clinicId);
  const { patient: created, contact } = await registerPatient(bot, {
    phone: e164Of(party.waId),
    waId: party.waId,
    name: patient.name,
    relationToContact: patient.isHolder ? 'self' : patient.relation === 'self' ? 'other' : patient.relation,
    ageYears: patient.age,
    preferredLanguage: consent.language,
    source: 'whatsapp',
  });
  // A child's consent comes from the parent or guardian on this number (DPDP Act, s. 9).
  const givenBy = created.isMinor ? 'guardian' : 'self';
  for (const purpose of consent.purposes as readonly ('care' | 'whatsapp_messaging' | 'reminders' | 'payments')[]) {
    await recordConsent(bot, created.id, {
      purpose,
      noticeVersion: consent.noticeVersion,
      givenBy,
      ...(givenBy === 'guardian' ? { guardianContactId: contact.id } : {}),
      channel: 'whatsapp',
    });
  }
  return { type: 'PATIENT_REGISTERED', patientId: created.id };
}

/** Free slots for the target from `from` to `to` (clinic-local dates), soonest first. */
async function freeSlots(party: ConversationParty, target: BookingTarget, from: string, to: string, limit: number) {
  return (await searchFreeSlots(botActor(party.clinicId), { ...targetFilter(target), from, to, limit })).slots;
}

/**
 * Runs one service effect and answers the event to feed back (null for effects that have none).
 * Domain errors become the machine's failure events; unexpected ones are logged (ids only) and
 * reported as a generic failure, so the patient gets an apology rather than silence.
 */
export async function performServiceEffect(
  party: ConversationParty,
  effect: ServiceEffect,
  now: Date,
): Promise<ConversationEvent | null> {
  const { clinicId } = party;
  try {
    switch (effect.type) {
      case 'loadSpecialities': {
        const doctors = await bookableDoctors(clinicId, {});
        const specialities = [...new Set(doctors.map((doctor) => doctor.speciality))].sort();
        const items: BookingTarget[] = [
          ...specialities.map((speciality) => ({ kind: 'speciality' as const, speciality })),
          ...doctors.map((doctor) => ({
            kind: 'doctor' as const,
            doctorId: doctor.id,
            name: doctor.name,
            speciality: doctor.speciality,
          })),
        ];
        return { type: 'SPECIALITIES_LOADED', items };
      }
      case 'loadDates': {
        const { timezone } = await getClinic(clinicId);
        const today = localDateOf(now, timezone);
        const slots = await freeSlots(party, effect.target, today, addLocalDays(today, effect.days - 1), 2000);
        const counts = new Map<string, number>();
        for (const slot of slots) counts.set(slot.localDate, (counts.get(slot.localDate) ?? 0) + 1);
        return { type: 'DATES_LOADED', dates: [...counts].map(([date, freeSlots]) => ({ date, freeSlots })) };
      }
      case 'loadSlots': {
        const start = effect.page * effect.pageSize;
        const slots = await freeSlots(party, effect.target, effect.date, effect.date, start + effect.pageSize + 1);
        const page = slots.slice(start, start + effect.pageSize);
        // The fee and the prepayment are stated before the patient confirms (one price per doctor).
        const { scheduling } = await getClinic(clinicId);
        const prepaymentPaise = scheduling.prepaymentRequired ? scheduling.prepaymentPaise : 0;
        const fees = new Map<string, number>();
        for (const doctorId of new Set(page.map((slot) => slot.doctorId)))
          fees.set(doctorId, await consultationFeePaise(clinicId, doctorId));
        return {
          type: 'SLOTS_LOADED',
          slots: page.map((slot) => ({
            slotId: slot.id,
            startAt: slot.startAt.toISOString(),
            doctorId: slot.doctorId,
            doctorName: slot.doctorName,
            feePaise: fees.get(slot.doctorId) ?? 0,
            ...(prepaymentPaise > 0 ? { prepaymentPaise } : {}),
          })),
          hasMore: slots.length > start + effect.pageSize,
        };
      }
      case 'loadProfiles': {
        const actor = await partyActor(party);
        const profiles = [];
        for (const patientId of actor.patientIds ?? []) {
          const patient = await getPatient(botActor(clinicId), patientId);
          // Both modules share one relation vocabulary (self, child, parent, spouse, sibling, other).
          profiles.push({
            patientId,
            name: patient.name,
            relation: patient.relationToContact,
            isHolder: patient.isAccountHolder,
          });
        }
        return { type: 'PROFILES_LOADED', profiles };
      }
      case 'registerPatient':
        return await register(party, effect.patient, effect.consent).catch((error: unknown) => {
          log().warn(
            {
              err: error instanceof AppError ? { code: error.code, status: error.status } : error,
              conversationId: party.conversationId,
            },
            'whatsapp registration failed',
          );
          return { type: 'REGISTRATION_FAILED' } as const;
        });
      case 'recordConsent':
        // A declined consent keeps nothing about the person; the conversation records the decision.
        return null;
      case 'book': {
        const actor = await partyActor(party);
        try {
          const appointment = await bookAppointment(actor, {
            patientId: effect.patientId,
            slotId: effect.slotId,
            source: 'whatsapp',
          });
          return { type: 'BOOKED', appointment: await summaryOf(clinicId, appointment) };
        } catch (error) {
          return { type: 'BOOKING_FAILED', reason: bookingFailure(error) };
        }
      }
      case 'listAppointments': {
        const actor = await partyActor(party);
        if ((actor.patientIds ?? []).length === 0) return { type: 'APPOINTMENTS_LOADED', appointments: [] };
        const upcoming = (await listAppointments(actor, {})).filter(
          (appointment) =>
            ['requested', 'tentative', 'confirmed'].includes(appointment.status) &&
            appointment.startAt.getTime() > now.getTime(),
        );
        return {
          type: 'APPOINTMENTS_LOADED',
          appointments: await summaries(clinicId, upcoming.slice(0, 20), actor),
        };
      }
      case 'cancelAppointment': {
        const actor = await partyActor(party);
        try {
          const result = await transitionAppointment(actor, effect.appointmentId, {
            event: 'CANCEL',
            reason: 'cancelled on WhatsApp',
          });
          return { type: 'CANCELLED', appointmentId: effect.appointmentId, refund: result.refund ?? null };
        } catch (error) {
          const reason =
            error instanceof AppError && error.details?.reason === 'cutoff_passed'
              ? 'cutoff_passed'
              : error instanceof AppError
                ? 'not_allowed'
                : 'error';
          return { type: 'CANCEL_FAILED', reason };
        }
      }
      case 'reschedule': {
        const actor = await partyActor(party);
        try {
          const appointment = await rescheduleAppointment(actor, effect.appointmentId, {
            slotId: effect.slotId,
            reason: 'rescheduled on WhatsApp',
          });
          return { type: 'RESCHEDULED', appointment: await summaryOf(clinicId, appointment) };
        } catch (error) {
          return { type: 'BOOKING_FAILED', reason: bookingFailure(error) };
        }
      }
      case 'requestPayment':
        return await requestPaymentLink(party, effect.appointmentId);
      case 'handoff':
        return null;
    }
  } catch (error) {
    log().error(
      {
        err: error instanceof AppError ? { code: error.code, status: error.status } : error,
        effect: effect.type,
        conversationId: party.conversationId,
      },
      'conversation effect failed',
    );
    return { type: 'LOAD_FAILED' };
  }
}
