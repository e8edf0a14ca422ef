import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueRegistry } from '../../src/platform/queues/registry.js';
import { uniqueName } from '../helpers/env.js';

describe('QueueRegistry', () => {
  let registry: QueueRegistry;
  beforeAll(() => {
    registry = new QueueRegistry(process.env.TEST_REDIS_URL!, uniqueName('queues'));
  });
  afterAll(async () => {
    await registry.close();
  });

  it('runs jobs with deterministic ids once, and lets an active job finish before closing', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    registry.define<{ appointmentId: string }>({
      name: 'reminders-test',
      process: async (job) => {
        seen.push(job.data.appointmentId);
        if (job.data.appointmentId === 'slow') await gate;
      },
    });
    const queue = registry.queue<{ appointmentId: string }>('reminders-test');
    await queue.add('remind', { appointmentId: 'a1' }, { jobId: 'reminder-a1-24h' });
    // The same deterministic id again is ignored by BullMQ: a retried producer adds nothing.
    await queue.add('remind', { appointmentId: 'a1' }, { jobId: 'reminder-a1-24h' });
    registry.startWorkers();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toEqual(['a1']);

    await queue.add('remind', { appointmentId: 'slow' }, { jobId: 'reminder-slow-2h' });
    while (!seen.includes('slow')) await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = registry.close();
    setTimeout(release, 200);
    await closing;
    const checker = new QueueRegistry(process.env.TEST_REDIS_URL!, registry.prefix);
    const job = await checker.queue('reminders-test').getJob('reminder-slow-2h');
    expect(await job?.getState()).toBe('completed');
    await checker.close();
  });
});
