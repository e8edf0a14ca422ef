/**
 * Daily KPIs: a day seeded through the real API (bookings, a walk-in, consultations with signed
 * notes, a cancellation, a no-show, a counter payment) whose every figure is worked out by hand
 * here; the nightly job's re-run changes nothing; clinic-day edges in IST; revenue equal to the
 * ledger's trial balance; CSV equal to JSON; a doctor limited to their own figures.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { DailyKpi } from '../../src/modules/reporting/daily-kpi.model.js';
import { clearTodaySnapshots, rebuildDays } from '../../src/modules/reporting/index.js';
import { addLocalDays, localDateOf, zonedTimeToUtc } from '../../src/modules/scheduling/clinic-time.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { balanceOf, expectBooksBalanced, prepareBillingClinic, startBillingApp } from '../helpers/billing.js';
import { bookedAppointment, checkedInAppointment, makeSignedInDoctor } from '../helpers/clinical.js';
import { makePatient, makeSlot } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

const TZ = 'Asia/Kolkata';
const FULL_NOTE = {
  chiefComplaint: 'Cough for a week',
  soap: { subjective: 'Dry cough', objective: 'Chest clear', assessment: 'Viral bronchitis', plan: 'Steam, review' },
};
const NOTE_WITHOUT_PLAN = { chiefComplaint: 'Headache', soap: { assessment: 'Tension headache' } };

const seconds = (from: Date | string, to: Date | string) =>
  Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000);

describe('daily KPIs', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let admin: SignedInStaff;
  let doctorA: { doctorId: string; login: SignedInStaff };
  let doctorB: { doctorId: string; login: SignedInStaff };
  const today = localDateOf(new Date(), TZ);
  const ids: Record<string, string> = {} as Record<string, string>;

  /** Consultation through the doctor's routes: start, write, sign, complete. */
  async function consult(doctor: SignedInStaff, appointmentId: string | undefined, note: object): Promise<void> {
    const started = await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200);
    const visitId = started.body.visit.id as string;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, ...note })
      .expect(200);
    await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    await doctor.agent.post(`/api/v1/consults/${appointmentId}/complete`).send({}).expect(200);
  }

  beforeAll(async () => {
    t = await startBillingApp('kpis');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    // No grace, so the no-show below can be marked seconds after its start.
    await updateSchedulingSettings(system, { noShowGraceMinutes: 0 });
    [frontdesk, accounts, admin] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['accounts']),
      createStaffAndLogin(t, ['admin']),
    ]);
    doctorA = await makeSignedInDoctor(t, system);
    doctorB = await makeSignedInDoctor(t, system);

    // Doctor A: two consultations (one fully documented), one cancellation, one no-show.
    ids.a1 = (await checkedInAppointment(frontdesk, system, doctorA.doctorId)).appointmentId;
    ids.a2 = (await checkedInAppointment(frontdesk, system, doctorA.doctorId)).appointmentId;
    ids.a3 = (await bookedAppointment(frontdesk, system, doctorA.doctorId)).appointmentId;
    const noShowPatient = (await makePatient(system)).id;
    const soon = new Date(Math.round((Date.now() + 2_000) / 1000) * 1000);
    const noShowSlot = await makeSlot(system.clinicId, doctorA.doctorId, soon, 0.05);
    ids.a4 = (
      await frontdesk.agent
        .post('/api/v1/appointments')
        .send({ patientId: noShowPatient, slotId: noShowSlot })
        .expect(201)
    ).body.id;
    await consult(doctorA.login, ids.a1, FULL_NOTE);
    await consult(doctorA.login, ids.a2, NOTE_WITHOUT_PLAN);
    await frontdesk.agent.post(`/api/v1/appointments/${ids.a3}/cancel`).send({ reason: 'patient called' }).expect(200);
    while (Date.now() < soon.getTime() + 500) await new Promise((resolve) => setTimeout(resolve, 200));
    await frontdesk.agent.post(`/api/v1/appointments/${ids.a4}/no-show`).send({}).expect(200);

    // Doctor B: one booking that stays confirmed, and a walk-in seen and documented.
    ids.b1 = (await bookedAppointment(frontdesk, system, doctorB.doctorId)).appointmentId;
    const walkInPatient = (await makePatient(system)).id;
    ids.w1 = (
      await frontdesk.agent
        .post('/api/v1/walk-ins')
        .send({ patientId: walkInPatient, doctorId: doctorB.doctorId, overbook: true })
        .expect(201)
    ).body.id;
    await consult(doctorB.login, ids.w1, FULL_NOTE);

    // Money: the desk issues the first two consultations' bills and takes the first in cash; the third stays a draft.
    const issued = [];
    for (const key of ['a1', 'a2']) {
      const list = await accounts.agent.get('/api/v1/invoices').query({ appointmentId: ids[key] }).expect(200);
      const draft = list.body.items[0];
      issued.push((await frontdesk.agent.post(`/api/v1/invoices/${draft.id}/issue`).send({}).expect(200)).body);
    }
    await frontdesk.agent
      .post(`/api/v1/invoices/${issued[0].id}/payments`)
      .send({ amountPaise: issued[0].duePaise, method: 'cash' })
      .expect(201);
    clearTodaySnapshots();
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it("computes the seeded day's figures exactly as worked out by hand", async () => {
    const row = (await accounts.agent.get('/api/v1/reports/today').expect(200)).body;
    const raw = await mongoose.connection
      .collection('appointments')
      .find({ _id: { $in: Object.values(ids).map((id) => new mongoose.Types.ObjectId(id)) } })
      .toArray();
    const byId = new Map(raw.map((doc) => [String(doc._id), doc]));
    const at = (key: string, field: string) => byId.get(ids[key]!)![field] as Date;

    // Confirmed today: every desk booking (the clinic asks no prepayment) and the walk-in.
    const confirmSeconds = ['a1', 'a2', 'a3', 'a4', 'b1', 'w1']
      .map((key) => seconds(at(key, 'requestedAt') ?? at(key, 'createdAt'), at(key, 'confirmedAt')))
      .sort((x, y) => x - y);
    const waits = ['a1', 'a2', 'w1'].map((key) => seconds(at(key, 'checkedInAt'), at(key, 'inConsultAt')));

    expect(row).toMatchObject({
      date: today,
      doctorId: null,
      bookingsRequested: 6,
      bookingsConfirmed: 6,
      bookingsCompleted: 3,
      bookingsCancelled: 1,
      bookingsNoShow: 1,
      // 1 no-show ÷ (1 no-show + 3 who came)
      noShowRate: 0.25,
      viaFrontdesk: 5,
      viaWalkIn: 1,
      viaWhatsapp: 0,
      clinicalCompleted: 3,
      clinicalDocumented: 2,
      clinicalCompletionRate: 2 / 3,
      confirmCount: 6,
      confirmMedianSeconds: (confirmSeconds[2]! + confirmSeconds[3]!) / 2,
      confirmP90Seconds: confirmSeconds[5],
      waitCount: 3,
      averageWaitSeconds: Math.round(waits.reduce((sum, wait) => sum + wait, 0) / 3),
      // Two issued consultation bills at ₹500 each (the third is still a draft); one paid in cash.
      revenueGrossPaise: 100_000,
      revenueDiscountPaise: 0,
      revenueNetPaise: 100_000,
      collectedPaise: 50_000,
      outstandingPaise: 50_000,
      refundsPaise: 0,
    });
    // The slots the helpers made: all taken but the cancelled one's (the no-show's counts: it was taken, then wasted).
    expect(row.slotsOffered).toBe(5);
    expect(row.slotsBooked).toBe(4);

    const mine = (await accounts.agent.get('/api/v1/reports/today').query({ doctorId: doctorB.doctorId }).expect(200))
      .body;
    expect(mine).toMatchObject({
      doctorId: doctorB.doctorId,
      bookingsRequested: 2,
      bookingsCompleted: 1,
      viaWalkIn: 1,
      clinicalCompletionRate: 1,
      revenueNetPaise: null,
    });
  });

  it('takes revenue from the ledger, so it equals the trial balance', async () => {
    const row = (await admin.agent.get('/api/v1/reports/today').expect(200)).body;
    const trial = await expectBooksBalanced(system);
    const revenue = -(balanceOf(trial, 'consultation_revenue') + balanceOf(trial, 'other_revenue'));
    expect(row.revenueNetPaise).toBe(revenue - balanceOf(trial, 'discounts_allowed'));
    expect(row.outstandingPaise).toBe(balanceOf(trial, 'patient_receivable'));
    expect(row.collectedPaise).toBe(balanceOf(trial, 'cash') + balanceOf(trial, 'bank'));
  });

  it('stores one document per day; a re-run replaces it with the same figures and an idle day is all zeros', async () => {
    const quiet = addLocalDays(today, -5);
    await rebuildDays(system.clinicId, quiet, today);
    const first = await DailyKpi.find({ clinicId: system.clinicId }).sort({ date: 1 }).lean();
    expect(first.map((day) => day.date)).toEqual(Array.from({ length: 6 }, (_, i) => addLocalDays(quiet, i)));
    await admin.agent.post('/api/v1/reports/kpis/rebuild').send({ from: quiet, to: today }).expect(200);
    const second = await DailyKpi.find({ clinicId: system.clinicId }).sort({ date: 1 }).lean();
    expect(second).toHaveLength(6);
    expect(second.map(({ clinic, doctors }) => ({ clinic, doctors }))).toEqual(
      first.map(({ clinic, doctors }) => ({ clinic, doctors })),
    );
    const idle = second[0]!.clinic as Record<string, unknown>;
    expect(idle).toMatchObject({ bookingsRequested: 0, bookingsNoShow: 0, revenueNetPaise: 0, slotsOffered: 0 });
    expect(idle.noShowRate).toBeNull();
    expect(second[5]!.clinic).toMatchObject({ bookingsRequested: 6, revenueNetPaise: 100_000 });
  });

  it('counts an appointment at 23:50 IST and one at 00:10 IST on their own clinic days', async () => {
    const dayAfter = addLocalDays(today, 2);
    const late = zonedTimeToUtc(dayAfter, '23:50', TZ);
    const early = zonedTimeToUtc(addLocalDays(dayAfter, 1), '00:10', TZ);
    // 00:10 IST is still the previous day in UTC: the clinic's day is what counts.
    expect(early.toISOString().slice(0, 10)).toBe(dayAfter);
    for (const startAt of [late, early]) {
      const patientId = (await makePatient(system)).id;
      const slotId = await makeSlot(system.clinicId, doctorA.doctorId, startAt);
      await frontdesk.agent.post('/api/v1/appointments').send({ patientId, slotId }).expect(201);
    }
    const rows = (
      await accounts.agent
        .get('/api/v1/reports/kpis')
        .query({ from: dayAfter, to: addLocalDays(dayAfter, 1) })
        .expect(200)
    ).body.rows;
    expect(rows.map((row: { bookingsRequested: number }) => row.bookingsRequested)).toEqual([1, 1]);
  });

  it('answers CSV with a header line and the same rows as JSON', async () => {
    const from = addLocalDays(today, -1);
    const json = (await accounts.agent.get('/api/v1/reports/kpis').query({ from, to: today }).expect(200)).body;
    const csv = await accounts.agent
      .get('/api/v1/reports/kpis')
      .query({ from, to: today })
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    const columns = header!.split(',');
    expect(columns[0]).toBe('date');
    expect(lines).toHaveLength(json.rows.length);
    lines.forEach((line, i) => {
      const cells = line.split(',');
      const expected = json.rows[i] as Record<string, unknown>;
      columns.forEach((column, c) => expect(cells[c]).toBe(expected[column] === null ? '' : String(expected[column])));
    });
    const viaQuery = await accounts.agent.get('/api/v1/reports/kpis').query({ from, to: today, format: 'csv' });
    expect(viaQuery.text).toBe(csv.text);
  });

  it('lets a doctor read only their own figures, and refuses the front desk', async () => {
    const own = await doctorA.login.agent.get('/api/v1/reports/today').expect(200);
    expect(own.body).toMatchObject({ doctorId: doctorA.doctorId, bookingsRequested: 4, revenueNetPaise: null });
    const other = await doctorA.login.agent
      .get('/api/v1/reports/kpis')
      .query({ from: today, to: today, doctorId: doctorB.doctorId })
      .expect(403);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    await frontdesk.agent.get('/api/v1/reports/today').expect(403);
    await accounts.agent.post('/api/v1/reports/kpis/rebuild').send({ from: today, to: today }).expect(403);
    await accounts.agent.get('/api/v1/reports/kpis').query({ from: today, to: '2026-02-31' }).expect(400);
  });

  it("keeps the owner's number encrypted and sends the evening summary once per day", async () => {
    const ownerPhone = '+919812345670';
    const saved = await admin.agent
      .patch('/api/v1/reports/settings')
      .send({ eveningSummary: { enabled: true, time: '21:00', ownerPhone, language: 'hi' } })
      .expect(200);
    expect(saved.body.eveningSummary).toEqual({ enabled: true, time: '21:00', ownerPhone: '••••5670', language: 'hi' });
    const raw = await mongoose.connection.collection('report_settings').findOne({});
    expect(JSON.stringify(raw)).not.toContain('9812345670');

    const { sendEveningSummary } = await import('../../src/modules/reporting/index.js');
    expect(await sendEveningSummary(system.clinicId)).toBe('sent');
    expect(await sendEveningSummary(system.clinicId)).toBe('sent');
    const sent = await mongoose.connection.collection('whatsapp_outbound').find({ purpose: 'report' }).toArray();
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).not.toContain('9812345670');
  });
});
