/**
 * Reminder scheduling under load: 1,000 confirmed appointments across 5 doctors whose 2-hour
 * reminders all fall due within one minute, against the real app (workers, the Graph API
 * stand-in over HTTP). Measures the rule jobs' lateness (start − due, as the rule records it) and
 * the WhatsApp send throughput against WHATSAPP_RATE_PER_SECOND. Goal: lateness p99 ≤ 1 s.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { freePort } from '../../scripts/local-services.mjs';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { bookAppointment } from '../../src/modules/appointments/appointment.service.js';
import { AutomationRun } from '../../src/modules/automation/automation-run.model.js';
import { ensureDefaultClinic, updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import { registerModules } from '../../src/modules/index.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { localDateOf } from '../../src/modules/scheduling/clinic-time.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { systemActor } from '../../src/platform/actor.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../../src/platform/runtime.js';
import { listen } from '../../src/platform/server.js';
import type { BenchResult } from './run.js';

const REMINDERS = 1000;
const DOCTORS = 5;
const WINDOW_MS = 60_000;
const P99_GOAL_MS = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function inBatches<T>(count: number, parallel: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs the benchmark against a fresh database and queue prefix, then drops them. */
export default async function reminderBench(): Promise<BenchResult> {
  const name = `bench_rem_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_DB: name,
    QUEUE_PREFIX: name,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SANDBOX: 'true',
    // Each patient gets one message; pacing per recipient does not apply across patients.
    WHATSAPP_PACING_MS: '0',
  });
  setRootLogger(createLogger(config.logLevel));
  const runtime = await createRuntime(config, registerModules);
  const server = await listen(createApp(runtime), port, '127.0.0.1');
  runtime.queues.startWorkers();
  try {
    const clinic = await ensureDefaultClinic();
    const system = systemActor(clinic.id, 'bench');
    await updateSchedulingSettings(system, { reminderOffsetsMinutes: [120] });
    const doctors = await inBatches(DOCTORS, 1, (i) =>
      createDoctor(system, { name: `Dr Bench ${i}`, speciality: 'General Medicine', consultationFeePaise: 50_000 }),
    );
    const patients = await inBatches(REMINDERS, 8, async (i) => {
      const { patient } = await registerPatient(system, {
        phone: `+9196${String(10_000_000 + i).padStart(8, '0')}`,
        name: `Bench Patient ${i}`,
        relationToContact: 'self',
        ageYears: 40,
        source: 'frontdesk',
      });
      return patient.id;
    });
    // Booking takes a while on this machine: the reminders fall due in the minute after it.
    const bookingStart = Date.now();
    const firstDue = bookingStart + 180_000;
    const starts = Array.from(
      { length: REMINDERS },
      (_, i) => new Date(firstDue + 120 * 60_000 + Math.floor((i * WINDOW_MS) / REMINDERS)),
    );
    const slots = await SlotModel.insertMany(
      starts.map((startAt, i) => ({
        clinicId: clinic.id,
        doctorId: doctors[i % DOCTORS]!.id,
        startAt,
        endAt: new Date(startAt.getTime() + 60_000),
        localDate: localDateOf(startAt, clinic.timezone),
        status: 'free',
      })),
    );
    await inBatches(REMINDERS, 8, (i) =>
      bookAppointment(system, { patientId: patients[i]!, slotId: String(slots[i]!._id), source: 'frontdesk' }),
    );
    const bookedAt = Date.now();
    // A reminder whose due time passed while booking was still running is (rightly) never scheduled.
    const scheduled = await AutomationRun.countDocuments({ rule: 'reminder', status: 'scheduled' });
    if (scheduled === 0) throw new Error('booking outlasted the margin: no reminder left to schedule');
    await until(
      async () => (await OutboundMessageModel.countDocuments({ purpose: 'reminder', status: 'sent' })) >= scheduled,
      firstDue + WINDOW_MS + 180_000 - Date.now(),
    );
    const runs = await AutomationRun.find({ rule: 'reminder' }, { latenessMs: 1, status: 1 }).lean<
      { latenessMs?: number; status: string }[]
    >();
    const late = runs.map((run) => run.latenessMs ?? Number.NaN).sort((a, b) => a - b);
    const sent = await OutboundMessageModel.find({ purpose: 'reminder' }, { sentAt: 1, queuedAt: 1 }).lean<
      { sentAt: Date; queuedAt: Date }[]
    >();
    const sentTimes = sent.map((m) => m.sentAt.getTime()).sort((a, b) => a - b);
    const perSecond = new Map<number, number>();
    for (const at of sentTimes) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    const peak = Math.max(...perSecond.values());
    const queueToSent = sent.map((m) => m.sentAt.getTime() - m.queuedAt.getTime()).sort((a, b) => a - b);
    const spanS = (sentTimes.at(-1)! - sentTimes[0]!) / 1000;
    const p99 = percentile(late, 99);
    return {
      name: `Reminders: ${REMINDERS} due within ${WINDOW_MS / 1000} s across ${DOCTORS} doctors`,
      metrics: {
        'booking (s)': ((bookedAt - bookingStart) / 1000).toFixed(1),
        'jobs scheduled before due': `${scheduled} of ${REMINDERS}`,
        'reminders done': runs.filter((run) => run.status === 'done').length,
        'lateness p50 (ms)': percentile(late, 50),
        'lateness p99 (ms)': p99,
        'lateness max (ms)': late.at(-1) ?? Number.NaN,
        'queued→sent p50 (ms)': percentile(queueToSent, 50),
        'queued→sent p99 (ms)': percentile(queueToSent, 99),
        'send span (s)': spanS.toFixed(1),
        'send throughput (msg/s)': (sentTimes.length / Math.max(spanS, 1)).toFixed(1),
        'peak sends in one second': peak,
        WHATSAPP_RATE_PER_SECOND: config.whatsapp.ratePerSecond,
      },
      goals: [
        { goal: `every reminder sent once (${REMINDERS})`, met: sentTimes.length === REMINDERS },
        { goal: `lateness p99 ≤ ${P99_GOAL_MS} ms`, met: p99 <= P99_GOAL_MS },
        { goal: `never above WHATSAPP_RATE_PER_SECOND`, met: peak <= config.whatsapp.ratePerSecond },
      ],
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.queues.close();
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await closeRuntime(runtime);
  }
}
