import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import mongoose from 'mongoose';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { Inbox } from '../../src/modules/messaging/inbox.model.js';
import { INBOUND_QUEUE } from '../../src/modules/messaging/inbox.queue.js';
import { setInboundHandler } from '../../src/modules/messaging/index.js';
import { buildInboundPayload, newWamid } from '../../src/sandbox/whatsapp/inbound-payload.js';
import type { WebhookBody } from '../../src/sandbox/whatsapp/inbound-payload.js';
import { startListeningApp, postSignedWebhook, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';
import { Phone, textOf } from '../helpers/whatsapp-phone.js';

jest.setTimeout(60_000);

/** Database calls by collection and method while `run` runs (mongoose's debug hook sees every one). */
async function countCalls(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  mongoose.set('debug', (collection: string, method: string) => {
    calls[`${collection}.${method}`] = (calls[`${collection}.${method}`] ?? 0) + 1;
  });
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
  }
  return calls;
}

describe('webhook batches: one bulk write per collection, per-item validation, over-long texts', () => {
  let t: ListeningApp;
  let clinicId: string;

  beforeAll(async () => {
    t = await startListeningApp('wa-batch', { env: { WHATSAPP_PACING_MS: '20' } });
    clinicId = (await ensureDefaultClinic()).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a text over 4,096 characters with a polite "please send a shorter message", in English and in Hindi', async () => {
    const english = new Phone(t);
    const first = await english.say('hi');
    expect(first.length).toBeGreaterThan(0);
    await english.tap('English');
    const reply = await english.say('a'.repeat(5_000));
    expect(reply.map(textOf).join('\n')).toMatch(/Please send a shorter message/);

    const hindi = new Phone(t);
    await hindi.say('नमस्ते');
    await hindi.tap('हिन्दी');
    const longest = await hindi.say('अ'.repeat(65_536));
    expect(longest.map(textOf).join('\n')).toMatch(/कृपया छोटा संदेश भेजें/);
    // Kept without its content: the 65,536 characters are not stored.
    const item = await waitFor(() =>
      Inbox.findOne({ clinicId, kind: 'too_long' })
        .lean()
        .then((doc) => doc ?? false),
    );
    expect(item.content).toBeUndefined();
  });

  it('stores a 100-message batch with one insert and one sender upsert, queues drains in one call, and skips only the bad items', async () => {
    // Storing and acknowledging is what is measured here; 100 conversations would only load the machine.
    setInboundHandler(async () => undefined);
    const phoneNumberId = t.runtime.config.whatsapp.phoneNumberId;
    const now = Math.floor(Date.now() / 1000) - 60;
    const good = Array.from({ length: 100 }, (_, i) => ({
      from: `91977${String(i % 25).padStart(7, '0')}`,
      text: `batch message ${i}`,
      wamid: newWamid(),
      timestamp: now + Math.floor(i / 25),
    }));
    // One of them was delivered before: a duplicate, not an error.
    await postSignedWebhook(t.http, t.runtime.config, buildInboundPayload(phoneNumberId, good[7]!)).expect(200);
    const payload: WebhookBody = buildInboundPayload(phoneNumberId, good);
    const value = payload.entry[0]!.changes[0]!.value as { messages: Record<string, unknown>[]; statuses?: unknown[] };
    value.messages.splice(10, 0, { ...value.messages[0], id: newWamid(), from: 'not-a-number' });
    value.messages.splice(20, 0, { ...value.messages[0], id: undefined });
    value.messages.splice(30, 0, { ...value.messages[0], id: newWamid(), text: { body: 'x'.repeat(65_537) } });
    value.messages.push({ ...value.messages[1] }); // the same wamid twice in one POST
    value.statuses = [{ id: 'wamid.nothing', status: 'delivered' }]; // no timestamp: invalid
    // A second, malformed `messages` change in another entry must not take the first down.
    payload.entry.push({ id: 'x', changes: [{ field: 'messages', value: {} }] });

    const before = await Inbox.countDocuments({ clinicId });
    const queue = t.runtime.queues.queue(INBOUND_QUEUE);
    const add = jest.spyOn(queue, 'add');
    const addBulk = jest.spyOn(queue, 'addBulk');
    let status = 0;
    const calls = await countCalls(async () => {
      status = (await postSignedWebhook(t.http, t.runtime.config, payload)).status;
    });
    expect(status).toBe(200);
    expect(calls['whatsapp_inbox.insertMany']).toBe(1);
    expect(calls['whatsapp_inbox.insertOne']).toBeUndefined();
    expect(calls['wa_contacts.bulkWrite']).toBe(1);
    expect(add).not.toHaveBeenCalled();
    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(addBulk.mock.calls[0]![0]).toHaveLength(99);
    add.mockRestore();
    addBulk.mockRestore();

    const wamids = good.map((message) => message.wamid);
    expect(await Inbox.countDocuments({ clinicId, wamid: { $in: wamids } })).toBe(100);
    // Exactly the 99 new good ones: the bad items and the duplicates added nothing.
    expect(await Inbox.countDocuments({ clinicId })).toBe(before + 99);
    // 25 senders, each found or created once.
    const stored = await Inbox.find({ clinicId, wamid: { $in: wamids } }).lean();
    expect(new Set(stored.map((item) => String(item.waContactId))).size).toBe(25);
  });
});
