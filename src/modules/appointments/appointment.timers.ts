/**
 * Time-based lifecycle work as BullMQ delayed jobs (never xstate timers, which do not survive a
 * restart): a tentative hold is released when it lapses, and a confirmed appointment becomes a
 * no-show after the grace period. Jobs carry ids only; the worker re-reads the appointment and
 * does nothing if it has moved on, so duplicates and retries are harmless.
 */
import type { Job } from 'bullmq';
import type { Queue } from 'bullmq';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { getClinic } from '../clinics/clinic.service.js';
import { Appointment } from './appointment.model.js';
import type { AppointmentDoc } from './appointment.model.js';
import { transitionAppointment } from './appointment.service.js';

/** Queue name for hold-expiry and no-show jobs. */
export const APPOINTMENT_TIMERS_QUEUE = 'appointment-timers';

interface TimerJob {
  clinicId: string;
  appointmentId: string;
}

const holdJobId = (appointmentId: string) => `hold-${appointmentId}`;
const noShowJobId = (appointmentId: string) => `noshow-${appointmentId}`;

/** Runs one timer job: applies the event as the system, or does nothing if the appointment moved on. */
export async function runTimerJob(job: Pick<Job<TimerJob>, 'name' | 'data'>): Promise<string> {
  const { clinicId, appointmentId } = job.data;
  const event = job.name === 'expire-hold' ? 'EXPIRE_HOLD' : 'MARK_NO_SHOW';
  const actor = systemActor(clinicId, job.name === 'expire-hold' ? 'worker:holds' : 'worker:no-shows');
  try {
    await transitionAppointment(actor, appointmentId, {
      event,
      reason: job.name === 'expire-hold' ? 'hold_expired' : 'grace_period_passed',
    });
    return 'applied';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const reason = (error.details?.reason as string | undefined) ?? error.code;
    // Fired a little early (clock skew between processes): throw so BullMQ retries with backoff.
    if (reason === 'too_early') throw error;
    // Gone, or already moved on (paid, cancelled, checked in): nothing to do, by design.
    log().info({ appointmentId, event, reason }, 'timer skipped');
    return `skipped:${reason}`;
  }
}

async function schedule(
  queue: Queue<TimerJob>,
  name: 'expire-hold' | 'mark-no-show',
  jobId: string,
  data: TimerJob,
  at: Date,
): Promise<void> {
  // A stale delayed job (e.g. before a reschedule) is replaced; an active one finishes on its own.
  await queue.remove(jobId).catch(() => undefined);
  await queue.add(name, data, {
    jobId,
    delay: Math.max(0, at.getTime() - Date.now()),
    attempts: 5,
    backoff: { type: 'exponential', delay: 2000 },
  });
}

async function scheduleFor(queue: Queue<TimerJob>, clinicId: string, appointmentId: string): Promise<void> {
  const doc = await Appointment.findOne({ _id: appointmentId, clinicId }).lean<AppointmentDoc>();
  if (!doc) return;
  const data = { clinicId, appointmentId };
  if (doc.status === 'tentative' && doc.holdExpiresAt) {
    await schedule(queue, 'expire-hold', holdJobId(appointmentId), data, doc.holdExpiresAt);
  } else if (doc.status === 'confirmed') {
    await queue.remove(holdJobId(appointmentId)).catch(() => undefined);
    const clinic = await getClinic(clinicId);
    await schedule(
      queue,
      'mark-no-show',
      noShowJobId(appointmentId),
      data,
      new Date(doc.startAt.getTime() + clinic.scheduling.noShowGraceMinutes * 60_000),
    );
  } else {
    await Promise.all(
      [queue.remove(holdJobId(appointmentId)), queue.remove(noShowJobId(appointmentId))].map((p) =>
        p.catch(() => undefined),
      ),
    );
  }
}

/** Defines the timers queue and keeps its jobs in step with every booking, transition and reschedule. */
export function registerAppointmentTimers(runtime: Runtime): void {
  const queue = runtime.queues.define<TimerJob>({
    name: APPOINTMENT_TIMERS_QUEUE,
    process: runTimerJob,
    concurrency: 4,
  });
  subscribe('appointment.booked', 'appointment-timers', ({ clinicId, appointmentId }) =>
    scheduleFor(queue, clinicId, appointmentId),
  );
  subscribe('appointment.transitioned', 'appointment-timers', ({ clinicId, appointmentId }) =>
    scheduleFor(queue, clinicId, appointmentId),
  );
  subscribe('appointment.rescheduled', 'appointment-timers', ({ clinicId, appointmentId }) =>
    scheduleFor(queue, clinicId, appointmentId),
  );
}
