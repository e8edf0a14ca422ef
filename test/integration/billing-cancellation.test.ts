/**
 * Issue 13, point 1: a cancellation settles its bill by the rules billing already has — an unpaid
 * invoice is voided, what is refunded comes off by a refund credit note, and what was never paid
 * comes off by a correction credit note — so nothing is left due, and after a day with
 * cancellations the revenue report agrees with the trial balance and with the money kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookAppointment } from '../../src/modules/appointments/appointment.service.js';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { raiseConsultationCharge } from '../../src/modules/billing/consultation-charge.service.js';
import { CreditNote } from '../../src/modules/billing/credit-note.model.js';
import { Invoice } from '../../src/modules/billing/invoice.model.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import { Refund } from '../../src/modules/billing/refund.model.js';
import { localDateOf } from '../../src/modules/scheduling/clinic-time.js';
import type { Actor } from '../../src/platform/actor.js';
import { publish } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { balanceOf, expectBooksBalanced, prepareBillingClinic } from '../helpers/billing.js';
import { startPaymentsApp } from '../helpers/payments.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import { waitFor } from '../helpers/whatsapp.js';

type App = Awaited<ReturnType<typeof startPaymentsApp>>;

describe('cancellations settle their bills', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let doctorId: string;
  let slotMinutes = 3 * 24 * 60;

  beforeAll(async () => {
    t = await startPaymentsApp('billcancel');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    [frontdesk, accounts] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['accounts']),
    ]);
    doctorId = await makeDoctor(system);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A booking with its ₹500 consultation invoice issued and `paidPaise` taken at the desk. */
  async function bookedAndBilled(paidPaise: number) {
    slotMinutes += 30;
    const appointment = await bookAppointment(system, {
      patientId: (await makePatient(system, 'Kiran Rao')).id,
      slotId: await makeSlot(system.clinicId, doctorId, inMinutes(slotMinutes)),
      source: 'frontdesk',
    });
    const invoice = await raiseConsultationCharge(system, appointment.id, { issue: true });
    expect(invoice.totals.totalPaise).toBe(50_000);
    if (paidPaise > 0) {
      await recordPayment({ ...accounts.actor }, { invoiceId: invoice.id, amountPaise: paidPaise, method: 'cash' });
      await Appointment.updateOne({ _id: appointment.id }, { $set: { paidPaise } });
    }
    return { appointment, invoice };
  }

  const cancel = (appointmentId: string) =>
    frontdesk.agent.post(`/api/v1/appointments/${appointmentId}/cancel`).send({ reason: 'doctor away' }).expect(200);

  const invoiceNow = async (invoiceId: string) =>
    (await accounts.agent.get(`/api/v1/invoices/${invoiceId}`).expect(200)).body as {
      status: string;
      duePaise: number;
      paidPaise: number;
      creditedPaise: number;
      refundedPaise: number;
    };

  it('voids an unpaid bill, credits the rest of a partly paid one, and the books agree at the end of the day', async () => {
    // 1. Booked and billed, nothing paid, cancelled: the invoice is void, nothing due.
    const unpaid = await bookedAndBilled(0);
    await cancel(unpaid.appointment.id);
    // Voided once the booking's payment links are known closed (the payments module's release job).
    expect(
      await waitFor(
        async () => {
          const invoice = await invoiceNow(unpaid.invoice.id);
          return invoice.status === 'void' ? invoice : undefined;
        },
        { what: 'unpaid invoice voided' },
      ),
    ).toMatchObject({ status: 'void', duePaise: 0 });

    // 2. ₹200 paid of ₹500, cancelled by the clinic: ₹200 refunded, the ₹300 never paid is credited.
    const partly = await bookedAndBilled(20_000);
    const cancelled = await cancel(partly.appointment.id);
    expect(cancelled.body.refund).toMatchObject({ dueAmountPaise: 20_000 });
    expect(await invoiceNow(partly.invoice.id)).toMatchObject({ duePaise: 0, creditedPaise: 30_000 });
    const refund = await Refund.findOne({ invoiceId: partly.invoice.id }).lean();
    await accounts.agent.post(`/api/v1/refunds/${String(refund!._id)}/complete`).expect(200);
    expect(await invoiceNow(partly.invoice.id)).toMatchObject({
      duePaise: 0,
      paidPaise: 20_000,
      creditedPaise: 50_000,
      refundedPaise: 20_000,
    });
    const notes = await CreditNote.find({ invoiceId: partly.invoice.id, status: 'issued' }).sort({ ordinal: 1 }).lean();
    expect(notes.map((note) => [note.kind, note.totals!.totalPaise])).toEqual([
      ['correction', 30_000],
      ['refund', 20_000],
    ]);

    // 3. A redelivered cancellation event settles nothing twice.
    await publish('appointment.transitioned', {
      clinicId: system.clinicId,
      appointmentId: partly.appointment.id,
      event: 'CANCEL',
      from: 'confirmed',
      to: 'cancelled',
      refundDuePaise: 20_000,
    });
    expect(await CreditNote.countDocuments({ invoiceId: partly.invoice.id })).toBe(2);

    // 4. One consultation paid in full and kept: the only revenue of the day.
    const kept = await bookedAndBilled(50_000);
    expect(await invoiceNow(kept.invoice.id)).toMatchObject({ status: 'paid', duePaise: 0 });

    // Nothing of the cancelled bookings is left due anywhere.
    const open = await Invoice.find({ clinicId: system.clinicId, duePaise: { $gt: 0 } }).lean();
    expect(open.map((invoice) => invoice.number)).toEqual([]);

    const today = localDateOf(new Date(), 'Asia/Kolkata');
    const report = (await accounts.agent.get(`/api/v1/reports/revenue?from=${today}&to=${today}`).expect(200)).body
      .totals as Record<string, number>;
    const trial = await expectBooksBalanced(system);
    const revenueInBooks = -(balanceOf(trial, 'consultation_revenue') + balanceOf(trial, 'other_revenue'));
    // Voided bills are out of gross; credited ones are returns; net is what the clinic kept.
    expect(report).toMatchObject({
      grossPaise: 100_000,
      returnsPaise: 50_000,
      netPaise: 50_000,
      collectedPaise: 70_000,
      refundedPaise: 20_000,
    });
    expect(report.netPaise).toBe(revenueInBooks - balanceOf(trial, 'discounts_allowed'));
    expect(report.netPaise).toBe(report.collectedPaise! - report.refundedPaise!);
    expect(balanceOf(trial, 'patient_receivable')).toBe(0);
    expect(balanceOf(trial, 'refunds_payable')).toBe(0);
  });
});
