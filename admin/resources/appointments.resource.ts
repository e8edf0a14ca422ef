/**
 * Appointments: read from the model (no PHI on it: ids, times, status, token), changed only
 * through the lifecycle service — confirm, check in, no-show and its override, cancel with a
 * reason (the refund follows the clinic's rules in billing), reschedule, payment link. The
 * default edit/new/delete are off: status, history, version and timestamps are never form fields.
 */
import type { ResourceOptions } from 'adminjs';
import {
  addWalkIn,
  Appointment,
  bookAppointment,
  rescheduleAppointment,
  transitionAppointment,
} from '../../src/modules/appointments/index.js';
import { paymentLinkForAppointment, sendPaymentLink } from '../../src/modules/payments/index.js';
import { unprocessable } from '../../src/platform/errors.js';
import { policyActions } from '../access.js';
import { serviceAction } from '../actions.js';
import { ClinicModelResource } from '../model-resource.js';
import { NAV } from './navigation.js';

const status =
  (...statuses: string[]) =>
  (params: Record<string, unknown>) =>
    statuses.includes(String(params.status));
const need = (value: string | undefined, what: string): string => {
  if (!value) throw unprocessable(`${what} is required`);
  return value;
};

/** The appointments resource with its lifecycle actions. */
export function appointmentsResource(): { resource: ClinicModelResource; options: ResourceOptions } {
  return {
    resource: new ClinicModelResource(Appointment as never, ['patientTimeKey', 'countedPaymentIds']),
    options: {
      id: 'appointments',
      navigation: NAV.schedule,
      listProperties: ['localDate', 'startAt', 'doctorId', 'patientId', 'status', 'tokenNumber', 'source'],
      filterProperties: ['localDate', 'status', 'doctorId', 'patientId', 'source'],
      showProperties: [
        'localDate',
        'startAt',
        'endAt',
        'status',
        'tokenNumber',
        'doctorId',
        'patientId',
        'source',
        'walkIn',
        'prepaymentPaise',
        'paidPaise',
        'holdExpiresAt',
        'cancellation.reason',
        'history',
      ],
      sort: { sortBy: 'startAt', direction: 'desc' },
      actions: {
        ...policyActions('appointments'),
        confirm: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Confirm',
          icon: 'Check',
          intro: 'Confirms the booking (a hold needs its prepayment first).',
          showWhen: status('requested', 'tentative'),
          run: async (actor, { recordId }) => {
            await transitionAppointment(actor, recordId!, { event: 'CONFIRM' });
            return 'Confirmed.';
          },
        }),
        checkIn: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Check in',
          icon: 'LogIn',
          intro: 'The patient is here: they get a token and join the doctor’s queue.',
          showWhen: status('confirmed'),
          run: async (actor, { recordId }) => {
            const { appointment } = await transitionAppointment(actor, recordId!, { event: 'CHECK_IN' });
            const token = appointment.tokenNumber;
            return token ? `Checked in — token ${token}.` : 'Checked in.';
          },
        }),
        noShow: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Mark no-show',
          icon: 'UserX',
          intro: 'The patient did not come (allowed after the start time).',
          showWhen: status('confirmed'),
          run: async (actor, { recordId }) => {
            await transitionAppointment(actor, recordId!, { event: 'MARK_NO_SHOW' });
            return 'Marked as no-show.';
          },
        }),
        overrideNoShow: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Undo no-show',
          icon: 'RotateCcw',
          intro: 'The patient came after all (on the appointment day).',
          showWhen: status('no_show'),
          fields: [
            {
              name: 'to',
              label: 'Put back as',
              type: 'select',
              required: true,
              options: [
                { value: 'checked_in', label: 'Checked in (here now)' },
                { value: 'confirmed', label: 'Confirmed (coming later)' },
              ],
            },
          ],
          run: async (actor, { recordId, values }) => {
            await transitionAppointment(actor, recordId!, {
              event: 'OVERRIDE_NO_SHOW',
              to: (values.to || 'checked_in') as 'checked_in',
            });
            return 'No-show undone.';
          },
        }),
        cancel: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Cancel',
          icon: 'XCircle',
          intro: 'Cancels the appointment and frees the time. Any refund follows the clinic’s cancellation rules.',
          showWhen: status('requested', 'tentative', 'confirmed'),
          fields: [{ name: 'reason', label: 'Reason', type: 'text', required: true }],
          run: async (actor, { recordId, values }) => {
            await transitionAppointment(actor, recordId!, { event: 'CANCEL', reason: need(values.reason, 'A reason') });
            return 'Cancelled.';
          },
        }),
        reschedule: serviceAction({
          policy: ['appointments', 'update'],
          label: 'Reschedule',
          icon: 'Calendar',
          intro: 'Moves the booking to another free slot (the old time is freed once the new one is held).',
          showWhen: status('requested', 'tentative', 'confirmed'),
          fields: [{ name: 'slotId', label: 'New slot id (from Slots)', required: true }],
          run: async (actor, { recordId, values }) => {
            await rescheduleAppointment(actor, recordId!, { slotId: need(values.slotId, 'A slot') });
            return 'Rescheduled.';
          },
        }),
        paymentLink: serviceAction({
          policy: ['payments', 'create'],
          requires: [['appointments', 'read']],
          label: 'Send payment link',
          icon: 'Send',
          intro: 'Sends the patient a Razorpay link on WhatsApp for what this booking still owes.',
          showWhen: status('tentative', 'confirmed', 'checked_in', 'in_consult', 'completed'),
          run: async (actor, { recordId }) => {
            const link = await paymentLinkForAppointment(actor, recordId!);
            await sendPaymentLink(actor, link);
            return `Payment link sent on WhatsApp (₹${(link.amountPaise / 100).toFixed(2)}).`;
          },
        }),
        book: serviceAction({
          policy: ['appointments', 'create'],
          actionType: 'resource',
          label: 'Book',
          icon: 'Plus',
          intro: 'Books a free slot for a patient (find the patient under Patients, the slot under Slots).',
          fields: [
            { name: 'patientId', label: 'Patient id', required: true },
            { name: 'slotId', label: 'Slot id', required: true },
          ],
          run: async (actor, { values }) => {
            const booked = await bookAppointment(actor, {
              patientId: need(values.patientId, 'A patient'),
              slotId: need(values.slotId, 'A slot'),
              source: 'frontdesk',
            });
            return `Booked for ${booked.localDate} (${booked.status.replace('_', ' ')}).`;
          },
        }),
        walkIn: serviceAction({
          policy: ['appointments', 'create'],
          actionType: 'resource',
          label: 'Walk-in',
          icon: 'UserPlus',
          intro:
            'Adds a patient standing at the desk to today’s queue: the doctor’s next free time, checked in, with a token.',
          fields: [
            { name: 'patientId', label: 'Patient id', required: true },
            { name: 'doctorId', label: 'Doctor id', required: true },
            { name: 'overbook', label: 'Squeeze in if the day is full', type: 'checkbox' },
          ],
          run: async (actor, { values }) => {
            const walkIn = await addWalkIn(actor, {
              patientId: need(values.patientId, 'A patient'),
              doctorId: need(values.doctorId, 'A doctor'),
              overbook: values.overbook === 'true',
            });
            return `Walk-in added — token ${walkIn.tokenNumber ?? '?'}.`;
          },
        }),
      },
    },
  };
}
