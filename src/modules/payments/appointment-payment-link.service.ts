/**
 * Payment links for appointments and their delivery on WhatsApp. For a prepayment hold the
 * consultation invoice is raised and issued (once), and the link asks for what the hold still
 * needs, expiring with the hold; for any other appointment it asks for what its invoice still
 * owes. The booking bot sends the link in its own words; the desk's "send link" sends it here,
 * as a message with a Pay button.
 */
import { formatRupees } from '../../../flows/booking.format.js';
import type { Actor } from '../../platform/actor.js';
import { conflict } from '../../platform/errors.js';
import { getAppointment } from '../appointments/appointment.service.js';
import { invoiceForAppointment, raiseConsultationCharge } from '../billing/consultation-charge.service.js';
import { getInvoice } from '../billing/invoice.service.js';
import { sendWhatsApp } from '../messaging/outbound.service.js';
import { ctaUrlMessage } from '../messaging/whatsapp-messages.js';
import type { Language } from '../patients/contact.model.js';
import { contactOfPatient } from '../patients/contact.service.js';
import { paymentLinkForInvoice } from './payment-link.service.js';
import type { PaymentLinkView } from './payment-link.view.js';

const WORDS: Record<Language, { body: (amount: string, number: string) => string; button: string }> = {
  en: {
    body: (amount, number) => `Please pay ${amount} for ${number} using the secure Razorpay link below.`,
    button: 'Pay now',
  },
  hi: {
    body: (amount, number) => `कृपया ${number} के लिए ${amount} का भुगतान नीचे दिए सुरक्षित Razorpay लिंक से करें।`,
    button: 'अभी भुगतान करें',
  },
};

/** The link that pays for `appointmentId`: its hold's prepayment, or what its invoice still owes. */
export async function paymentLinkForAppointment(actor: Actor, appointmentId: string): Promise<PaymentLinkView> {
  const appointment = await getAppointment(actor, appointmentId);
  if (appointment.status === 'tentative') {
    const invoice = await raiseConsultationCharge(actor, appointmentId, { issue: true });
    const outstanding = appointment.prepaymentPaise - appointment.paidPaise;
    if (outstanding <= 0)
      throw conflict('The prepayment is already paid', { reason: 'nothing_due', currentStatus: appointment.status });
    return paymentLinkForInvoice(actor, {
      invoiceId: invoice.id,
      appointmentId,
      amountPaise: Math.min(outstanding, invoice.duePaise),
      ...(appointment.holdExpiresAt ? { holdExpiresAt: new Date(appointment.holdExpiresAt) } : {}),
    });
  }
  if (appointment.status === 'cancelled' || appointment.status === 'no_show') {
    throw conflict(`A ${appointment.status.replace('_', '-')} appointment takes no payment`, {
      reason: 'appointment_not_payable',
      currentStatus: appointment.status,
    });
  }
  const invoice = await invoiceForAppointment(actor, appointmentId);
  if (!invoice || invoice.duePaise <= 0)
    throw conflict('Nothing is due for this appointment', { reason: 'nothing_due', currentStatus: appointment.status });
  if (invoice.status === 'draft')
    throw conflict('Issue the invoice before sending a payment link', { reason: 'invoice_not_issued' });
  return paymentLinkForInvoice(actor, { invoiceId: invoice.id, appointmentId });
}

/** Sends `link` to the patient's WhatsApp number with a Pay button; false when the patient has no number. */
export async function sendPaymentLink(actor: Actor, link: PaymentLinkView): Promise<boolean> {
  const invoice = await getInvoice(actor, link.invoiceId);
  const contact = await contactOfPatient(actor.clinicId, invoice.patient.id);
  if (!contact) return false;
  const words = WORDS[contact.preferredLanguage ?? 'en'];
  await sendWhatsApp({
    clinicId: actor.clinicId,
    to: contact.phone,
    message: ctaUrlMessage({
      body: words.body(formatRupees(link.amountPaise), invoice.number ?? ''),
      buttonText: words.button,
      url: link.shortUrl,
    }),
    purpose: 'payment_link',
    ...(link.appointmentId ? { appointmentId: link.appointmentId } : {}),
  });
  return true;
}
