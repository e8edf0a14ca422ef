import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { bookAppointment, transitionAppointment } from '../../src/modules/appointments/appointment.service.js';
import { raiseConsultationCharge } from '../../src/modules/billing/consultation-charge.service.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Actor } from '../../src/platform/actor.js';
import { testSystemActor } from '../helpers/auth.js';
import { prepareBillingClinic, startBillingApp } from '../helpers/billing.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import type { TestApp } from '../helpers/test-app.js';

describe('payments reach the appointment they pay for', () => {
  let t: TestApp;
  let system: Actor;

  beforeAll(async () => {
    t = await startBillingApp('appt-payments');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 50_000, holdMinutes: 15 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds each recorded payment to paidPaise once, and then the prepaid hold can be confirmed', async () => {
    const doctorId = await makeDoctor(system);
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(600));
    const appointment = await bookAppointment(system, { patientId: patient.id, slotId, source: 'frontdesk' });
    expect(appointment.status).toBe('tentative');

    // Before payment the system may not confirm: the machine's "once prepaid" rule.
    const worker = systemActor(system.clinicId, 'worker:payments');
    await expect(transitionAppointment(worker, appointment.id, { event: 'CONFIRM' })).rejects.toMatchObject({
      status: 422,
    });

    const invoice = await raiseConsultationCharge(system, appointment.id, { issue: true });
    const input = {
      invoiceId: invoice.id,
      amountPaise: 50_000,
      method: 'upi' as const,
      provider: 'razorpay' as const,
      providerPaymentId: 'pay_TEST123456',
    };
    await Promise.all(Array.from({ length: 5 }, () => recordPayment(system, input)));
    const paid = await Appointment.findById(appointment.id).lean();
    expect(paid).toMatchObject({ paidPaise: 50_000 });
    expect(paid!.countedPaymentIds).toHaveLength(1);

    const confirmed = await transitionAppointment(worker, appointment.id, { event: 'CONFIRM' });
    expect(confirmed.appointment.status).toBe('confirmed');
  });
});
