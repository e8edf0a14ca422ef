import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { sendWhatsApp, setInboundHandler } from '../../src/modules/messaging/index.js';
import type { InboundMessage } from '../../src/modules/messaging/index.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import type { OutboundRecord, OutboundStatus } from '../../src/modules/messaging/outbound.model.js';
import { WaContact, waHashOf } from '../../src/modules/messaging/wa-contact.model.js';
import {
  ctaUrlMessage,
  listMessage,
  replyButtonsMessage,
  textMessage,
} from '../../src/modules/messaging/whatsapp-messages.js';
import { ensureContact } from '../../src/modules/patients/contact.service.js';
import { buildStatusPayload } from '../../src/sandbox/whatsapp/inbound-payload.js';
import type { SandboxMessageView } from '../../src/sandbox/whatsapp/graph.service.js';
import { postSignedWebhook, sendInboundVia, sleep, startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

const PACING_MS = 150;

describe('WhatsApp outbound through whatsapp-api-js and the Graph API stand-in', () => {
  let t: ListeningApp;
  let clinicId: string;
  const inbound: InboundMessage[] = [];

  beforeAll(async () => {
    t = await startListeningApp('wa-outbound', { env: { WHATSAPP_PACING_MS: String(PACING_MS) } });
    clinicId = (await ensureDefaultClinic()).id;
    setInboundHandler(async (item) => {
      inbound.push(item);
    });
  });
  afterAll(async () => {
    setInboundHandler(undefined);
    await t.close();
  });

  /** The patient writes first: the 24-hour window opens. */
  async function openWindow(waId: string): Promise<void> {
    await sendInboundVia(t.http, t.runtime.config, { from: waId, text: 'hi' });
    await waitFor(() => WaContact.exists({ clinicId, waHash: waHashOf(waId), lastInboundAt: { $ne: null } }), {
      what: 'the window opened',
    });
  }
  const recordOf = (outboundId: string) =>
    OutboundMessageModel.findOne({ _id: outboundId, clinicId }).lean<OutboundRecord>();
  async function waitForStatus(
    outboundId: string,
    status: OutboundStatus,
    timeoutMs = 15_000,
  ): Promise<OutboundRecord> {
    return waitFor(
      async () => {
        const record = await recordOf(outboundId);
        return record?.status === status ? record : undefined;
      },
      { timeoutMs, what: `status ${status}` },
    );
  }
  async function received(to: string): Promise<SandboxMessageView[]> {
    const res = await t.http.get('/sandbox/whatsapp/api/messages').query({ to });
    expect(res.status).toBe(200);
    return (res.body as { messages: SandboxMessageView[] }).messages;
  }

  it('sends a message that the stand-in records and reports sent, delivered and read', async () => {
    await openWindow('919822200001');
    const message = replyButtonsMessage({
      body: 'Book for whom?',
      buttons: [
        { id: 'who:t1:self', title: 'Myself' },
        { id: 'who:t1:child', title: 'My child' },
      ],
    });
    const { outboundId } = await sendWhatsApp({ clinicId, to: '919822200001', message, purpose: 'conversation' });
    const record = await waitForStatus(outboundId, 'read');
    expect(record).toMatchObject({ sentAs: 'message', attempts: 1 });
    expect(record.wamid).toMatch(/^wamid\./);
    expect(record.sentAt).toBeInstanceOf(Date);
    expect(record.deliveredAt).toBeInstanceOf(Date);

    const [seen, ...rest] = await received('919822200001');
    expect(rest).toEqual([]);
    expect(seen).toMatchObject({ wamid: record.wamid, status: 'read', to: '919822200001' });
    expect(seen?.message).toMatchObject({
      messaging_product: 'whatsapp',
      to: '919822200001',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Book for whom?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'who:t1:self', title: 'Myself' } },
            { type: 'reply', reply: { id: 'who:t1:child', title: 'My child' } },
          ],
        },
      },
    });
  });

  it('is what the Graph API would be: a wrong token is 401 and a malformed message 400, in Graph error format', async () => {
    const path = `/sandbox/whatsapp/graph/${t.runtime.config.whatsapp.apiVersion}/${t.runtime.config.whatsapp.phoneNumberId}/messages`;
    const body = { messaging_product: 'whatsapp', to: '919822200009', type: 'text', text: { body: 'x' } };
    const noToken = await t.http.post(path).send(body);
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
    const authed = (b: object) =>
      t.http.post(path).set('authorization', `Bearer ${t.runtime.config.whatsapp.accessToken}`).send(b);
    const tooManyButtons = {
      ...body,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'x' },
        action: { buttons: [1, 2, 3, 4].map((n) => ({ type: 'reply', reply: { id: `b${n}`, title: `B${n}` } })) },
      },
    };
    expect((await authed(tooManyButtons)).body.error).toMatchObject({ code: 100 });
    expect((await authed({ ...body, text: { body: '' } })).status).toBe(400);
  });

  it('never moves a status backwards when reports arrive out of order and repeated', async () => {
    // wa_id ending 0204: the stand-in accepts and reports nothing, so the test plays Meta.
    await openWindow('919822200204');
    const { outboundId } = await sendWhatsApp({
      clinicId,
      to: '919822200204',
      message: textMessage('Your token is 12'),
      purpose: 'conversation',
    });
    const { wamid } = await waitForStatus(outboundId, 'sent');
    const report = (status: 'sent' | 'delivered' | 'read' | 'failed', timestamp: number) =>
      postSignedWebhook(
        t.http,
        t.runtime.config,
        buildStatusPayload(t.runtime.config.whatsapp.phoneNumberId, [
          { wamid: wamid!, status, recipientId: '919822200204', timestamp },
        ]),
      );
    const t0 = Math.floor(Date.now() / 1000);
    for (const [status, at] of [
      ['read', t0 + 3],
      ['delivered', t0 + 2],
      ['sent', t0 + 1],
      ['read', t0 + 3],
      ['failed', t0 + 4],
      ['delivered', t0 + 2],
    ] as const) {
      expect((await report(status, at)).status).toBe(200);
    }
    const record = await recordOf(outboundId);
    expect(record?.status).toBe('read');
    expect(record?.readAt?.getTime()).toBe((t0 + 3) * 1000);
    // The late `delivered` still left its time.
    expect(record?.deliveredAt?.getTime()).toBe((t0 + 2) * 1000);
    expect(record?.failureReason).toBeUndefined();
  });

  it('records a failed status report with its Meta error code', async () => {
    await openWindow('919822200470');
    const { outboundId } = await sendWhatsApp({
      clinicId,
      to: '919822200470',
      message: textMessage('See you soon'),
      purpose: 'conversation',
    });
    expect(await waitForStatus(outboundId, 'failed')).toMatchObject({ failureReason: 'meta_131047' });
  });

  it.each([
    ['429', '919822200429'],
    ['500', '919822200500'],
  ])('retries after a %s and then sends', async (_status, to) => {
    await openWindow(to);
    const { outboundId } = await sendWhatsApp({
      clinicId,
      to,
      message: textMessage('Retry me'),
      purpose: 'conversation',
    });
    const record = await waitForStatus(outboundId, 'read');
    // One rejected attempt, one that went through.
    expect(record.attempts).toBe(2);
    expect(record.failureReason).toBeUndefined();
    expect(await received(to)).toHaveLength(1);
  });

  it('does not retry a permanent 400: the message fails with the error code', async () => {
    await openWindow('919822200400');
    const { outboundId } = await sendWhatsApp({
      clinicId,
      to: '919822200400',
      message: textMessage('Never arrives'),
      purpose: 'conversation',
    });
    const record = await waitForStatus(outboundId, 'failed');
    expect(record).toMatchObject({ failureReason: 'graph_400_131026', attempts: 1 });
    expect(await received('919822200400')).toEqual([]);
  });

  it('outside the 24-hour window sends the configured template in the patient language, or fails outside_window', async () => {
    const to = '919822200003';
    await openWindow(to);
    await ensureContact(clinicId, `+${to}`, { preferredLanguage: 'hi' });
    // The patient last wrote 25 hours ago.
    await WaContact.updateOne(
      { clinicId, waHash: waHashOf(to) },
      { $set: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } },
    );

    const reminder = await sendWhatsApp({
      clinicId,
      to,
      message: textMessage('Reminder: Dr Rao tomorrow at 10:30'),
      purpose: 'reminder',
      template: { components: { bodyParameters: ['Dr Rao', 'tomorrow 10:30'] } },
    });
    const chat = await sendWhatsApp({ clinicId, to, message: textMessage('Anything else?'), purpose: 'conversation' });
    expect(await waitForStatus(reminder.outboundId, 'read')).toMatchObject({ sentAs: 'template' });
    expect(await waitForStatus(chat.outboundId, 'failed')).toMatchObject({ failureReason: 'outside_window' });

    const messages = await received(to);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatchObject({
      type: 'template',
      template: {
        name: 'appointment_reminder',
        language: { code: 'hi' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Dr Rao' },
              { type: 'text', text: 'tomorrow 10:30' },
            ],
          },
        ],
      },
    });
  });

  it('sends a link button the stand-in accepts; outside the window the payment_link template carries its URL', async () => {
    const to = '919822200007';
    await openWindow(to);
    const url = `${t.baseUrl}/sandbox/razorpay/pay/plink_T3st`;
    const button = ctaUrlMessage({
      body: 'Please pay *₹500* with the button below.',
      buttonText: 'Pay now',
      url,
      footer: 'Held until 10:15 AM',
    });
    expect(
      await waitForStatus(
        (await sendWhatsApp({ clinicId, to, message: button, purpose: 'payment_link' })).outboundId,
        'read',
      ),
    ).toMatchObject({ sentAs: 'message' });
    await WaContact.updateOne(
      { clinicId, waHash: waHashOf(to) },
      { $set: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } },
    );
    expect(
      await waitForStatus(
        (await sendWhatsApp({ clinicId, to, message: button, purpose: 'payment_link' })).outboundId,
        'read',
      ),
    ).toMatchObject({ sentAs: 'template' });

    const [first, second] = (await received(to)).map((seen) => seen.message);
    expect(first).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: 'Please pay *₹500* with the button below.' },
        footer: { text: 'Held until 10:15 AM' },
        action: { name: 'cta_url', parameters: { display_text: 'Pay now', url } },
      },
    });
    expect(second).toMatchObject({
      type: 'template',
      template: { name: 'payment_link', components: [{ type: 'body', parameters: [{ type: 'text', text: url }] }] },
    });
  });

  it('sends five queued messages to one patient strictly in order, at least the pacing apart', async () => {
    const to = '919822200005';
    await openWindow(to);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const message =
        i === 3
          ? listMessage({
              body: 'Pick a slot',
              button: 'Slots',
              sections: [{ rows: [{ id: `slot:t:${i}`, title: '10:30' }] }],
            })
          : textMessage(`message ${i}`);
      ids.push((await sendWhatsApp({ clinicId, to, message, purpose: 'conversation' })).outboundId);
    }
    const records = await Promise.all(ids.map((id) => waitForStatus(id, 'read')));
    const bodies = (await received(to)).map((seen) => {
      const message = seen.message as { text?: { body: string }; interactive?: { body: { text: string } } };
      return message.text?.body ?? message.interactive?.body.text;
    });
    expect(bodies).toEqual(['message 1', 'message 2', 'Pick a slot', 'message 4', 'message 5']);
    const dispatched = records.map((record) => record.dispatchedAt!.getTime());
    for (let i = 1; i < dispatched.length; i += 1)
      expect(dispatched[i]! - dispatched[i - 1]!).toBeGreaterThanOrEqual(PACING_MS);
  });

  it('keeps the order while an earlier message to the same patient is being retried', async () => {
    // wa_id ending 0429: every message is refused once, so each one sits in backoff for a while.
    const to = '919822210429';
    await openWindow(to);
    const ids: string[] = [];
    for (const text of ['first', 'second', 'third'])
      ids.push((await sendWhatsApp({ clinicId, to, message: textMessage(text), purpose: 'conversation' })).outboundId);
    await Promise.all(ids.map((id) => waitForStatus(id, 'read', 25_000)));
    expect((await received(to)).map((seen) => (seen.message as { text: { body: string } }).text.body)).toEqual([
      'first',
      'second',
      'third',
    ]);
  }, 40_000);

  it('delivers what a person types in the sandbox to the webhook, signed (POST /sandbox/whatsapp/api/inbound)', async () => {
    const res = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from: '919822200006', text: 'नमस्ते', profileName: 'Meera' });
    expect(res.status).toBe(202);
    const wamid = (res.body as { wamid: string }).wamid;
    const item = await waitFor(() => inbound.find((entry) => entry.wamid === wamid), {
      what: 'the sandbox message handled',
    });
    expect(item).toMatchObject({ kind: 'text', text: 'नमस्ते', profileName: 'Meera', waId: '919822200006' });
    const tap = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from: '919822200006', replyId: 'slot:t:9', replyTitle: '10:30', replyType: 'list' });
    const tapped = await waitFor(() => inbound.find((entry) => entry.wamid === (tap.body as { wamid: string }).wamid), {
      what: 'the tap handled',
    });
    expect(tapped).toMatchObject({ kind: 'list', replyId: 'slot:t:9', replyTitle: '10:30' });
    expect((await t.http.post('/sandbox/whatsapp/api/inbound').send({ from: '919822200006' })).status).toBe(400);
    await sleep(10);
  });
});
