import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { Inbox } from '../../src/modules/messaging/inbox.model.js';
import type { InboxRecord } from '../../src/modules/messaging/inbox.model.js';
import { setInboundHandler } from '../../src/modules/messaging/index.js';
import type { InboundMessage } from '../../src/modules/messaging/index.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import type { OutboundRecord } from '../../src/modules/messaging/outbound.model.js';
import { waHashOf } from '../../src/modules/messaging/wa-contact.model.js';
import { upsertWaContact } from '../../src/modules/messaging/wa-contact.service.js';
import { textMessage } from '../../src/modules/messaging/whatsapp-messages.js';
import { Contact } from '../../src/modules/patients/contact.model.js';
import type { ContactRecord } from '../../src/modules/patients/contact.model.js';
import { ensureContact } from '../../src/modules/patients/contact.service.js';
import {
  batchPayloads,
  buildInboundPayload,
  buildStatusPayload,
  newWamid,
  signWebhook,
} from '../../src/sandbox/whatsapp/inbound-payload.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { postSignedWebhook, sendInboundVia, sleep, waitFor } from '../helpers/whatsapp.js';

describe('WhatsApp webhook', () => {
  let t: TestApp;
  let handled: InboundMessage[];
  let clinicId: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await startTestApp('wa-webhook', { workers: true });
    clinicId = (await ensureDefaultClinic()).id;
  });
  afterAll(async () => {
    setInboundHandler(undefined);
    await t.close();
  });
  beforeEach(() => {
    handled = [];
    setInboundHandler(async (item) => {
      handled.push(item);
    });
  });

  const phoneNumberId = () => t.runtime.config.whatsapp.phoneNumberId;
  const handledWamids = () => handled.map((item) => item.wamid);

  describe('verification handshake', () => {
    it('echoes hub.challenge as plain text for the configured verify token', async () => {
      const res = await t.http.get('/webhooks/whatsapp').query({
        'hub.mode': 'subscribe',
        'hub.verify_token': t.runtime.config.whatsapp.verifyToken,
        'hub.challenge': '1158201444',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe('1158201444');
    });

    it.each([
      ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }],
      ['a wrong mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'TOKEN', 'hub.challenge': '1' }],
      ['no parameters', {}],
    ])('answers 403 problem+json for %s', async (_case, query) => {
      const params: Record<string, string> = {
        ...query,
        ...((query as Record<string, string>)['hub.verify_token'] === 'TOKEN'
          ? { 'hub.verify_token': t.runtime.config.whatsapp.verifyToken }
          : {}),
      };
      const res = await t.http.get('/webhooks/whatsapp').query(params);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('signature and validation', () => {
    const payload = () =>
      buildInboundPayload(phoneNumberId(), { from: '919800000001', text: 'hello', profileName: 'Asha' });

    it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
      const { body, signature } = signWebhook(payload(), t.runtime.config.whatsapp.appSecret);
      const missing = await t.http.post('/webhooks/whatsapp').set('content-type', 'application/json').send(body);
      const wrongSecret = signWebhook(payload(), 'not-the-secret');
      const wrong = await t.http
        .post('/webhooks/whatsapp')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', wrongSecret.signature)
        .send(wrongSecret.body);
      // A valid signature of different bytes (e.g. re-serialised JSON) does not match either.
      const tampered = await t.http
        .post('/webhooks/whatsapp')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signature)
        .send(`${body} `);
      expect([missing.status, wrong.status, tampered.status]).toEqual([401, 401, 401]);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await Inbox.countDocuments({ clinicId })).toBe(0);
    });

    it('answers 400, never 500, to malformed envelopes; a malformed item inside is skipped with 200', async () => {
      const secret = t.runtime.config.whatsapp.appSecret;
      const badFrom = buildInboundPayload(phoneNumberId(), { from: 'not-a-number', text: 'x' });
      // Items are validated one by one (a bad one must not drop other patients' messages): 200, nothing stored.
      for (const body of [
        badFrom,
        { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {} }] }] },
      ]) {
        expect((await postSignedWebhook(t.http, t.runtime.config, body as never)).status).toBe(200);
      }
      for (const body of [{ object: 'whatsapp_business_account', entry: 'x' }, { hello: 'world' }]) {
        const signed = signWebhook(body as never, secret);
        const res = await t.http
          .post('/webhooks/whatsapp')
          .set('content-type', 'application/json')
          .set('x-hub-signature-256', signed.signature)
          .send(signed.body);
        expect(res.status).toBe(400);
      }
      const notJson = await t.http
        .post('/webhooks/whatsapp')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', 'sha256=00')
        .send('{"object":');
      expect(notJson.status).toBe(400);
      expect(await Inbox.countDocuments({ clinicId })).toBe(0);
    });

    it('ignores events for another phone number id with 200', async () => {
      const other = buildInboundPayload('999999999999999', { from: '919800000002', text: 'wrong number' });
      const res = await postSignedWebhook(t.http, t.runtime.config, other);
      expect(res.status).toBe(200);
      await sleep(400);
      expect(await Inbox.countDocuments({ clinicId })).toBe(0);
      expect(handled).toEqual([]);
    });

    it('accepts changes of other fields (template reviews, account updates) without reading them', async () => {
      const body = {
        object: 'whatsapp_business_account' as const,
        entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
      };
      expect((await postSignedWebhook(t.http, t.runtime.config, body)).status).toBe(200);
    });
  });

  it('stores every message of a batched POST (2 entries × several messages and statuses) and hands each over', async () => {
    const waContact = await upsertWaContact(clinicId, '919800000010');
    const outbound = await Promise.all(
      ['wamid.out-a', 'wamid.out-b'].map((wamid) =>
        OutboundMessageModel.create({
          clinicId,
          waContactId: waContact._id,
          to: '919800000010',
          toHash: waHashOf('919800000010'),
          purpose: 'conversation',
          message: textMessage('Your slot is confirmed'),
          status: 'sent',
          wamid,
          queuedAt: new Date(),
        }),
      ),
    );
    const first = buildInboundPayload(phoneNumberId(), [
      { from: '919800000011', text: 'hi', profileName: 'Ravi', timestamp: now() - 5 },
      { from: '919800000011', buttonReplyId: 'menu:t1:book', replyTitle: 'Book', timestamp: now() - 4 },
      { from: '919800000012', listReplyId: 'slot:t2:abc', replyTitle: '10:30', timestamp: now() - 4 },
    ]);
    const second = buildInboundPayload(phoneNumberId(), [
      { from: '919800000012', quickReplyPayload: 'reminder:confirm', replyTitle: 'Confirm', timestamp: now() - 3 },
      { from: '919800000013', unsupportedType: 'image', timestamp: now() - 2 },
      { from: '919800000013', text: 'मुझे डॉक्टर से मिलना है', timestamp: now() - 1 },
    ]);
    const statuses = buildStatusPayload(phoneNumberId(), [
      { wamid: 'wamid.out-a', status: 'delivered', recipientId: '919800000010' },
      { wamid: 'wamid.out-b', status: 'read', recipientId: '919800000010' },
    ]);
    const batch = batchPayloads(first, second);
    // Statuses ride along as a second change of each entry (the repeat in entry 2 is a duplicate).
    for (const entry of batch.entry) entry.changes.push(...statuses.entry[0]!.changes);

    const res = await postSignedWebhook(t.http, t.runtime.config, batch);
    expect(res.status).toBe(200);
    // Stored before the answer: counted right after it, before any worker could run.
    expect(await Inbox.countDocuments({ clinicId })).toBe(6);
    const after = await OutboundMessageModel.find({ clinicId, _id: { $in: outbound.map((doc) => doc._id) } }).lean<
      OutboundRecord[]
    >();
    expect(after.map((doc) => doc.status).sort()).toEqual(['delivered', 'read']);

    await waitFor(() => handled.length >= 6, { what: 'six handled messages' });
    const byText = Object.fromEntries(handled.map((item) => [item.replyId ?? item.text ?? item.kind, item]));
    expect(byText.hi).toMatchObject({ kind: 'text', waId: '919800000011', profileName: 'Ravi', clinicId });
    expect(byText['menu:t1:book']).toMatchObject({ kind: 'button', replyTitle: 'Book' });
    expect(byText['slot:t2:abc']).toMatchObject({ kind: 'list', replyTitle: '10:30', waId: '919800000012' });
    expect(byText['reminder:confirm']).toMatchObject({ kind: 'button', replyTitle: 'Confirm' });
    expect(byText.unsupported).toMatchObject({ kind: 'unsupported', waId: '919800000013' });
    expect(byText.unsupported?.text).toBeUndefined();
    expect(byText['मुझे डॉक्टर से मिलना है']).toMatchObject({ kind: 'text' });
    await waitFor(async () => (await Inbox.countDocuments({ clinicId, status: 'done' })) === 6, {
      what: 'items marked done',
    });
  });

  it('applies a status that arrives before its message is recorded as sent, once it is', async () => {
    const report = buildStatusPayload(phoneNumberId(), [
      { wamid: 'wamid.early', status: 'delivered', recipientId: '919800000015' },
    ]);
    expect((await postSignedWebhook(t.http, t.runtime.config, report)).status).toBe(200);
    const waContact = await upsertWaContact(clinicId, '919800000015');
    const record = await OutboundMessageModel.create({
      clinicId,
      waContactId: waContact._id,
      to: '919800000015',
      toHash: waHashOf('919800000015'),
      purpose: 'conversation',
      message: textMessage('Booked'),
      status: 'sent',
      wamid: 'wamid.early',
      queuedAt: new Date(),
    });
    await waitFor(
      async () =>
        (await OutboundMessageModel.findOne({ _id: record._id, clinicId }).lean<OutboundRecord>())?.status ===
        'delivered',
      {
        what: 'the deferred status applied',
      },
    );
  });

  it('handles a message delivered five times at once exactly once', async () => {
    const payload = buildInboundPayload(phoneNumberId(), { from: '919800000020', text: 'once', wamid: newWamid() });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => postSignedWebhook(t.http, t.runtime.config, payload)),
    );
    expect(responses.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    await waitFor(() => handled.length === 1, { what: 'the message handled' });
    await sleep(600);
    expect(handled.map((item) => item.text)).toEqual(['once']);
    // A redelivery after handling is still answered 200 and still ignored.
    expect((await postSignedWebhook(t.http, t.runtime.config, payload)).status).toBe(200);
    await sleep(400);
    expect(handled).toHaveLength(1);
  });

  it('keeps content, number and profile name encrypted at rest', async () => {
    const { wamid } = await sendInboundVia(t.http, t.runtime.config, {
      from: '919800000030',
      text: 'my knee hurts',
      profileName: 'Sunita',
    });
    const raw = await mongoose.connection.db!.collection('whatsapp_inbox').findOne({ wamid });
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain('knee');
    expect(stored).not.toContain('919800000030');
    expect(stored).not.toContain('Sunita');
    const opened = await Inbox.findOne({ clinicId, wamid }).lean<InboxRecord>();
    expect(opened?.content?.text).toBe('my knee hurts');
  });

  it("moves a registered contact's lastInboundAt forward and stores its WhatsApp id", async () => {
    const { contact } = await ensureContact(clinicId, '+919800000040');
    const sentAt = now() - 30;
    await sendInboundVia(t.http, t.runtime.config, { from: '919800000040', text: 'hello again', timestamp: sentAt });
    const updated = await waitFor(
      async () => {
        const doc = await Contact.findOne({ _id: contact._id, clinicId }).lean<ContactRecord>();
        return doc?.lastInboundAt && doc.waId ? doc : undefined;
      },
      { what: 'lastInboundAt and waId' },
    );
    expect(updated.lastInboundAt?.getTime()).toBe(sentAt * 1000);
    expect(updated.waId).toBe('919800000040');
    // Nobody registered this number: nothing is created.
    await sendInboundVia(t.http, t.runtime.config, { from: '919800000041', text: 'new here' });
    await waitFor(() => handledWamids().length >= 2, { what: 'both handled' });
    expect(await Contact.countDocuments({ clinicId })).toBe(1);
  });

  it('retries a failing message, then marks it failed with the error code only and goes on to the next', async () => {
    const attemptsAt: number[] = [];
    const boomWamid = newWamid();
    let boomStatusWhenNextHandled: string | undefined;
    setInboundHandler(async (item) => {
      if (item.text === 'boom') {
        attemptsAt.push(Date.now());
        throw new TypeError('handler broke on: boom');
      }
      if (item.text === 'after')
        boomStatusWhenNextHandled = (await Inbox.findOne({ clinicId, wamid: boomWamid }).lean<InboxRecord>())?.status;
      handled.push(item);
    });
    const { wamid } = await sendInboundVia(t.http, t.runtime.config, {
      from: '919800000050',
      text: 'boom',
      timestamp: now() - 2,
      wamid: boomWamid,
    });
    await sendInboundVia(t.http, t.runtime.config, { from: '919800000050', text: 'after', timestamp: now() - 1 });
    const failed = await waitFor(
      async () => {
        const doc = await Inbox.findOne({ clinicId, wamid }).lean<InboxRecord>();
        return doc?.status === 'failed' ? doc : undefined;
      },
      { timeoutMs: 20_000, what: 'the failing message marked failed' },
    );
    expect(failed).toMatchObject({ attempts: 3, lastError: 'TypeError' });
    await waitFor(() => handled.some((item) => item.text === 'after'), { what: 'the next message handled' });
    // Backed off between attempts (1 s, then 4 s), and the later message waited behind it.
    expect(attemptsAt).toHaveLength(3);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(900);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(3900);
    expect(boomStatusWhenNextHandled).toBe('failed');
  }, 30_000);
});
