/**
 * A family's records for portal and privacy tests, built through the real services and routes:
 * the holder of a number (with a child profile on it) who had a consultation with a prescription
 * (two versions), a diet plan, a paid bill and an upcoming booking, consents for care and reminders.
 */
import { randomInt } from 'node:crypto';
import type { Actor } from '../../src/platform/actor.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { recordConsent } from '../../src/modules/patients/consent.service.js';
import { CURRENT_NOTICE_VERSION } from '../../src/modules/privacy/index.js';
import type { SignedInStaff } from './auth.js';
import { issuedInvoice, makeExemptItem, prepareBillingClinic } from './billing.js';
import { checkedInAppointment } from './clinical.js';
import { makeSlot } from './scheduling.js';

/** What one family's records are. */
export interface FamilyRecords {
  phone: string;
  patientId: string;
  childId: string;
  childName: string;
  visitId: string;
  prescriptionIds: string[];
  dietPlanId: string;
  invoiceId: string;
  paymentId: string;
  upcomingId: string;
  freeSlotId: string;
  consentIds: { care: string; reminders: string };
}

const rxItem = (medicine: string) => ({
  medicine,
  strength: '500 mg',
  form: 'Tablet',
  dose: '1 tablet',
  frequency: '1-0-1',
  duration: '5 days',
  route: 'Oral',
});

/** Builds a family's records with `doctor` and `frontdesk`; `name` is the holder's. */
export async function familyRecords(
  system: Actor,
  staff: { frontdesk: SignedInStaff; doctor: SignedInStaff; doctorId: string },
  name: string,
): Promise<FamilyRecords> {
  await prepareBillingClinic(system);
  const phone = `+9198${randomInt(10_000_000, 99_999_999)}`;
  const holder = await registerPatient(system, {
    phone,
    name,
    relationToContact: 'self',
    ageYears: 38,
    source: 'frontdesk',
  });
  const childName = `${name.split(' ')[0]} Junior`;
  const child = await registerPatient(system, {
    phone,
    name: childName,
    relationToContact: 'child',
    ageYears: 7,
    source: 'frontdesk',
  });
  const patientId = holder.patient.id;

  const consent = async (purpose: 'care' | 'reminders') =>
    (
      await recordConsent(system, patientId, {
        purpose,
        noticeVersion: CURRENT_NOTICE_VERSION,
        givenBy: 'self',
        channel: 'frontdesk',
      })
    ).consent.id;
  const consentIds = { care: await consent('care'), reminders: await consent('reminders') };

  const { appointmentId } = await checkedInAppointment(staff.frontdesk, system, staff.doctorId, patientId);
  const doctor = staff.doctor.agent;
  const visitId = (await doctor.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit.id;
  await doctor
    .put(`/api/v1/visits/${visitId}/draft`)
    .send({ version: 0, chiefComplaint: 'Cough', soap: { assessment: 'Bronchitis' } })
    .expect(200);
  await doctor.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
  const v1 = (
    await doctor
      .post(`/api/v1/visits/${visitId}/prescriptions`)
      .send({ items: [rxItem('Amoxicillin')], supersedesVersion: 0 })
      .expect(201)
  ).body.id as string;
  const v2 = (
    await doctor
      .post(`/api/v1/visits/${visitId}/prescriptions`)
      .send({ items: [rxItem('Azithromycin')], supersedesVersion: 1 })
      .expect(201)
  ).body.id as string;
  const dietPlanId = (
    await doctor.post(`/api/v1/visits/${visitId}/diet-plans`).send({ goal: 'Warm fluids' }).expect(201)
  ).body.id as string;

  const item = await makeExemptItem(system, 40_000);
  const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
  const payment = await recordPayment(system, { invoiceId: invoice.id, amountPaise: 20_000, method: 'cash' });

  // Two days ahead: outside the clinic's patient cancellation cutoff, so the patient may move it.
  const soon = Date.now() + 2 * 86_400_000 + randomInt(0, 3_600_000);
  const upcomingSlot = await makeSlot(system.clinicId, staff.doctorId, new Date(Math.round(soon / 60_000) * 60_000));
  const booked = await staff.frontdesk.agent.post('/api/v1/appointments').send({ patientId, slotId: upcomingSlot });
  if (booked.status !== 201) throw new Error(`booking failed with ${booked.status}: ${booked.text}`);
  const upcoming = { appointmentId: booked.body.id as string };
  const later = Date.now() + 3 * 86_400_000 + randomInt(0, 3_600_000);
  const freeSlotId = await makeSlot(system.clinicId, staff.doctorId, new Date(Math.round(later / 60_000) * 60_000));
  return {
    phone,
    patientId,
    childId: child.patient.id,
    childName,
    visitId,
    prescriptionIds: [v1, v2],
    dietPlanId,
    invoiceId: invoice.id,
    paymentId: payment.payment.id,
    upcomingId: upcoming.appointmentId,
    freeSlotId,
    consentIds,
  };
}
