import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { registerModules } from '../../src/modules/index.js';
import { Inbox } from '../../src/modules/messaging/inbox.model.js';
import type { InboxRecord } from '../../src/modules/messaging/inbox.model.js';
import { storeInbound } from '../../src/modules/messaging/inbox.service.js';
import { scheduleMessagingSweep, setInboundHandler } from '../../src/modules/messaging/index.js';
import type { InboundMessage } from '../../src/modules/messaging/index.js';
import { WaContact } from '../../src/modules/messaging/wa-contact.model.js';
import { createRuntime } from '../../src/platform/runtime.js';
import type { Runtime } from '../../src/platform/runtime.js';
import { buildInboundPayload, newWamid } from '../../src/sandbox/whatsapp/inbound-payload.js';
import { testEnv } from '../helpers/env.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { postSignedWebhook, sleep, waitFor } from '../helpers/whatsapp.js';

/**
 * Two app instances (two runtimes with their own queue registries and workers) sharing one
 * database and one Redis prefix, as two processes would.
 */
describe('inbox: one message at a time per patient, in timestamp order, across instances', () => {
  let a: TestApp;
  let b: { runtime: Runtime; http: ReturnType<typeof supertest> };
  let clinicId: string;
  const log: { waId: string; text: string }[] = [];
  const active = new Map<string, number>();
  let overlaps = 0;
  let maxParallel = 0;

  beforeAll(async () => {
    a = await startTestApp('wa-order', { workers: false });
    const config = loadConfig(
      testEnv('wa-order', {
        MONGODB_DB: a.runtime.config.mongo.dbName,
        QUEUE_PREFIX: a.runtime.config.redis.queuePrefix,
      }),
    );
    const runtime = await createRuntime(config, registerModules);
    b = { runtime, http: supertest(createApp(runtime)) };
    clinicId = (await ensureDefaultClinic()).id;
    setInboundHandler(async (item: InboundMessage) => {
      const now = (active.get(item.waId) ?? 0) + 1;
      active.set(item.waId, now);
      if (now > 1) overlaps += 1;
      maxParallel = Math.max(
        maxParallel,
        [...active.values()].reduce((sum, n) => sum + n, 0),
      );
      await sleep(25);
      log.push({ waId: item.waId, text: item.text ?? '' });
      active.set(item.waId, (active.get(item.waId) ?? 1) - 1);
    });
  });
  afterAll(async () => {
    setInboundHandler(undefined);
    await b.runtime.queues.close();
    await a.close();
  });

  const textsOf = (waId: string) => log.filter((entry) => entry.waId === waId).map((entry) => entry.text);

  it('handles messages delivered out of order (3, 1, 2) as 1, 2, 3, never two at once, with two instances working', async () => {
    const base = Math.floor(Date.now() / 1000) - 60;
    const phoneNumberId = a.runtime.config.whatsapp.phoneNumberId;
    const deliveries: [TestApp['http'] | typeof b.http, string, number][] = [
      [a.http, 'x3', 3],
      [b.http, 'x1', 1],
      [a.http, 'x2', 2],
      [b.http, 'y4', 4],
      [a.http, 'y2', 2],
      [b.http, 'y1', 1],
      [a.http, 'y3', 3],
      [b.http, 'y5', 5],
    ];
    for (const [http, text, offset] of deliveries) {
      const from = text.startsWith('x') ? '919811100001' : '919811100002';
      const res = await postSignedWebhook(
        http,
        a.runtime.config,
        buildInboundPayload(phoneNumberId, { from, text, timestamp: base + offset }),
      );
      expect(res.status).toBe(200);
    }
    // A message delivered to both instances (Meta retrying after a slow answer): handled once.
    const again = buildInboundPayload(phoneNumberId, {
      from: '919811100001',
      text: 'x1b',
      timestamp: base + 1,
      wamid: newWamid(),
    });
    await postSignedWebhook(a.http, a.runtime.config, again);
    await postSignedWebhook(b.http, a.runtime.config, again);

    // Everything is stored (and kicked) before any worker runs; now both instances start working.
    a.runtime.queues.startWorkers();
    b.runtime.queues.startWorkers();
    await waitFor(() => log.length === 9, { what: 'nine handled messages' });
    await sleep(500);

    expect(textsOf('919811100001')).toEqual(['x1', 'x1b', 'x2', 'x3']);
    expect(textsOf('919811100002')).toEqual(['y1', 'y2', 'y3', 'y4', 'y5']);
    expect(overlaps).toBe(0);
  });

  it('never handles two messages of one patient at once under concurrent load on both instances', async () => {
    log.length = 0;
    const phoneNumberId = a.runtime.config.whatsapp.phoneNumberId;
    const senders = ['919811100011', '919811100012', '919811100013'];
    const base = Math.floor(Date.now() / 1000);
    const posts = senders.flatMap((from, s) =>
      Array.from({ length: 6 }, (_, i) =>
        postSignedWebhook(
          i % 2 ? a.http : b.http,
          a.runtime.config,
          buildInboundPayload(phoneNumberId, { from, text: `${s}-${i}`, timestamp: base + i }),
        ),
      ),
    );
    expect((await Promise.all(posts)).every((res) => res.status === 200)).toBe(true);
    await waitFor(() => log.length === 18, { what: 'eighteen handled messages' });
    expect(overlaps).toBe(0);
    // Different patients do proceed in parallel.
    expect(maxParallel).toBeGreaterThan(1);
    for (const [s, from] of senders.entries())
      expect(textsOf(from).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `${s}-${i}`).sort());
  });

  it('picks up a message a crash left pending (stored, never kicked, lease held by a dead worker) through the sweeper', async () => {
    log.length = 0;
    const receivedAt = new Date(Date.now() - 30_000);
    const payload = {
      from: '919811100021',
      id: newWamid(),
      timestamp: String(Math.floor(receivedAt.getTime() / 1000)),
      type: 'text',
      text: { body: 'left behind' },
    };
    const stored = await storeInbound(clinicId, payload, undefined, receivedAt);
    if (!stored.stored) throw new Error('not stored');
    // The crashed worker had claimed it once and held the lease, which has since expired.
    await Inbox.updateOne({ _id: stored.inboxId, clinicId }, { $set: { attempts: 1 } });
    await WaContact.updateOne(
      { _id: stored.waContactId, clinicId },
      { $set: { lockOwner: 'dead-worker', lockedUntil: new Date(Date.now() - 1000) } },
    );
    await sleep(300);
    expect(log).toEqual([]);

    await scheduleMessagingSweep(a.runtime);
    await waitFor(() => log.length === 1, { what: 'the swept message handled' });
    expect(log[0]).toEqual({ waId: '919811100021', text: 'left behind' });
    const item = await Inbox.findOne({ _id: stored.inboxId, clinicId }).lean<InboxRecord>();
    expect(item).toMatchObject({ status: 'done', attempts: 2 });
  });
});
