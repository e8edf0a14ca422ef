import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { classifyInbound } from '../../src/modules/messaging/inbound-message.js';
import type { OutboundStatus } from '../../src/modules/messaging/outbound.model.js';
import { classifySendError } from '../../src/modules/messaging/outbound.processor.js';
import { ALLOWED_PREVIOUS } from '../../src/modules/messaging/outbound.status.js';
import type { ReportedStatus } from '../../src/modules/messaging/outbound.status.js';
import { chooseDelivery, isWindowOpen, WINDOW_MS } from '../../src/modules/messaging/window.js';
import { toClientMessage } from '../../src/modules/messaging/whatsapp-builders.js';
import { GraphApiError, originSwappingFetch } from '../../src/modules/messaging/whatsapp-client.js';
import {
  ctaUrlMessage,
  documentMessage,
  listMessage,
  replyButtonsMessage,
  templateMessage,
  textMessage,
  toCloudApiPayload,
} from '../../src/modules/messaging/whatsapp-messages.js';
import type { OutboundMessage } from '../../src/modules/messaging/whatsapp-messages.js';
import { isValidWebhookSignature, webhookSignature } from '../../src/modules/messaging/whatsapp-signature.js';
import { faultFor } from '../../src/sandbox/whatsapp/faults.js';
import { serializeWebhook, buildInboundPayload } from '../../src/sandbox/whatsapp/inbound-payload.js';
import { testSecrets } from '../helpers/env.js';

const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1', ...testSecrets });

describe('whatsapp-api-js builders', () => {
  const messages: [string, OutboundMessage][] = [
    ['text', textMessage('Hello\nthere')],
    ['text with preview', textMessage('See https://cinic.app', { previewUrl: true })],
    [
      'buttons',
      replyButtonsMessage({
        body: 'Confirm?',
        header: 'Dr Rao',
        footer: 'CINIC',
        buttons: [
          { id: 'c:t:yes', title: 'Yes' },
          { id: 'c:t:no', title: 'No' },
        ],
      }),
    ],
    [
      'list',
      listMessage({
        body: 'Slots',
        button: 'Choose',
        sections: [
          { title: 'Morning', rows: [{ id: 's:t:1', title: '09:00', description: 'Dr Rao' }] },
          { title: 'Evening', rows: [{ id: 's:t:2', title: '18:00' }] },
        ],
      }),
    ],
    [
      'template',
      templateMessage({
        name: 'payment_link',
        languageCode: 'hi',
        header: { kind: 'document', link: 'https://x.test/inv.pdf', filename: 'inv.pdf' },
        bodyParameters: ['₹500'],
        quickReplyPayloads: ['pay:1'],
      }),
    ],
    ['bare template', templateMessage({ name: 'appointment_update', languageCode: 'en' })],
    [
      'link button',
      ctaUrlMessage({
        body: 'Please pay ₹500',
        buttonText: 'Pay now',
        url: 'https://rzp.io/l/abc',
        header: 'Sunrise',
        footer: 'CINIC',
      }),
    ],
    [
      'bare link button',
      ctaUrlMessage({ body: 'अभी भुगतान करें', buttonText: 'अभी भुगतान करें', url: 'https://rzp.io/l/abc' }),
    ],
    ['document', documentMessage({ link: 'https://x.test/rx.pdf', filename: 'rx.pdf', caption: 'Prescription' })],
    ['media document', documentMessage({ mediaId: '4471' })],
  ];

  /** The builders' JSON with the library's own additions undone. */
  function normalised(message: OutboundMessage): unknown {
    const built = JSON.parse(JSON.stringify(toClientMessage(message))) as Record<string, unknown>;
    if (message.kind === 'text') built.preview_url ??= false;
    if (message.kind === 'template') {
      delete (built.language as Record<string, unknown>).policy;
      for (const component of (built.components ?? []) as Record<string, unknown>[])
        if ('index' in component) component.index = String(component.index);
    }
    return built;
  }

  it.each(messages)('%s: the library sends exactly what toCloudApiPayload describes', (_name, message) => {
    const payload = toCloudApiPayload('919876543210', message) as unknown as Record<string, unknown>;
    expect(normalised(message)).toEqual(payload[String(payload.type)]);
  });
});

describe('the 24-hour window', () => {
  const now = new Date('2025-01-10T10:00:00Z');
  const templates = config.whatsapp.templates;
  const text = textMessage('Hi');

  it('is open for 24 hours after the last inbound message', () => {
    expect(isWindowOpen(new Date(now.getTime() - WINDOW_MS), now)).toBe(true);
    expect(isWindowOpen(new Date(now.getTime() - WINDOW_MS - 1), now)).toBe(false);
    expect(isWindowOpen(undefined, now)).toBe(false);
  });

  it('sends the message itself inside the window, and a template at any time', () => {
    expect(
      chooseDelivery({
        message: text,
        purpose: 'conversation',
        lastInboundAt: new Date(now.getTime() - 1000),
        now,
        templates,
        language: 'en',
      }),
    ).toEqual({ as: 'message', message: text });
    const template = templateMessage({ name: 'x', languageCode: 'en' });
    expect(chooseDelivery({ message: template, purpose: 'conversation', now, templates, language: 'en' }).as).toBe(
      'message',
    );
  });

  it("outside it picks the purpose's template in the patient's language, or gives up", () => {
    const choice = chooseDelivery({
      message: text,
      purpose: 'payment_link',
      template: { components: { bodyParameters: ['₹300'] } },
      now,
      templates,
      language: 'hi',
    });
    expect(choice).toEqual({
      as: 'template',
      message: templateMessage({ name: 'payment_link', languageCode: 'hi', bodyParameters: ['₹300'] }),
    });
    expect(chooseDelivery({ message: text, purpose: 'conversation', now, templates, language: 'en' })).toEqual({
      as: 'outside_window',
    });
    const named = chooseDelivery({
      message: text,
      purpose: 'conversation',
      template: { name: 'visit_follow_up', language: 'en' },
      now,
      templates,
      language: 'hi',
    });
    expect(named).toMatchObject({ as: 'template', message: { name: 'visit_follow_up', languageCode: 'en' } });
  });

  it("outside it a link button falls back with its URL as the template's parameter, unless the caller gave others", () => {
    const button = ctaUrlMessage({ body: 'Please pay ₹500', buttonText: 'Pay now', url: 'https://rzp.io/l/abc123' });
    expect(chooseDelivery({ message: button, purpose: 'payment_link', now, templates, language: 'hi' })).toEqual({
      as: 'template',
      message: templateMessage({
        name: 'payment_link',
        languageCode: 'hi',
        bodyParameters: ['https://rzp.io/l/abc123'],
      }),
    });
    const given = chooseDelivery({
      message: button,
      purpose: 'payment_link',
      template: { components: { bodyParameters: ['₹500', 'https://rzp.io/l/abc123'] } },
      now,
      templates,
      language: 'en',
    });
    expect(given).toMatchObject({ as: 'template', message: { bodyParameters: ['₹500', 'https://rzp.io/l/abc123'] } });
    expect(
      chooseDelivery({ message: button, purpose: 'payment_link', lastInboundAt: now, now, templates, language: 'en' }),
    ).toEqual({ as: 'message', message: button });
  });

  it('sends a document outside the window as the document template, the PDF in its header', () => {
    const doc = documentMessage({
      link: 'https://cinic.test/documents/t',
      filename: 'rx.pdf',
      caption: 'Your prescription from Dr Rao, 25 Nov 2026',
    });
    const header = { kind: 'document' as const, link: 'https://cinic.test/documents/t', filename: 'rx.pdf' };
    const choice = chooseDelivery({
      message: doc,
      purpose: 'document',
      template: { components: { header, bodyParameters: [doc.caption!] } },
      now,
      templates,
      language: 'en',
    });
    expect(choice).toEqual({
      as: 'template',
      message: templateMessage({
        name: 'patient_document',
        languageCode: 'en',
        header,
        bodyParameters: [doc.caption!],
      }),
    });
  });

  it('takes template names and language codes from WHATSAPP_TEMPLATES', () => {
    const custom = loadConfig({
      ...testSecrets,
      MONGODB_URI: 'mongodb://h',
      REDIS_URL: 'redis://h',
      WHATSAPP_TEMPLATES: '{"reminder":{"name":"rem_v2","languages":{"en":"en_US","hi":"hi"}}}',
    });
    const choice = chooseDelivery({
      message: text,
      purpose: 'reminder',
      now,
      templates: custom.whatsapp.templates,
      language: 'en',
    });
    expect(choice).toMatchObject({ as: 'template', message: { name: 'rem_v2', languageCode: 'en_US' } });
  });
});

describe('status reports', () => {
  const apply = (current: OutboundStatus, report: ReportedStatus): OutboundStatus =>
    ALLOWED_PREVIOUS[report].includes(current) ? report : current;
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
        );

  it('end at read whatever order sent, delivered and read arrive in, repeated or not', () => {
    for (const order of permutations<ReportedStatus>(['sent', 'delivered', 'read', 'read', 'sent'])) {
      expect(order.reduce(apply, 'sent' as OutboundStatus)).toBe('read');
    }
  });

  it('accept failed only from queued or sent', () => {
    expect(apply('sent', 'failed')).toBe('failed');
    expect(apply('delivered', 'failed')).toBe('delivered');
    expect(apply('read', 'failed')).toBe('read');
    expect(apply('failed', 'delivered')).toBe('failed');
  });
});

describe('send errors', () => {
  it('retries 429, 5xx and network errors, and nothing else', () => {
    expect(classifySendError(new GraphApiError(429, 130429))).toEqual({ code: 'graph_429_130429', retryable: true });
    expect(classifySendError(new GraphApiError(503, undefined))).toEqual({ code: 'graph_503', retryable: true });
    expect(classifySendError(new GraphApiError(undefined, undefined))).toEqual({
      code: 'graph_network',
      retryable: true,
    });
    expect(classifySendError(new GraphApiError(400, 131026))).toEqual({ code: 'graph_400_131026', retryable: false });
    expect(classifySendError(new GraphApiError(401, 190))).toEqual({ code: 'graph_401_190', retryable: false });
    expect(classifySendError(new TypeError('Recipient must be a WhatsApp id'))).toEqual({
      code: 'invalid_message',
      retryable: false,
    });
    expect(classifySendError(new SyntaxError('Unexpected token'))).toEqual({ code: 'send_error', retryable: true });
  });
});

describe('originSwappingFetch', () => {
  let server: http.Server;
  let seen: { url?: string; auth?: string }[];
  let port: number;

  beforeAll(async () => {
    seen = [];
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url?.includes('fail'))
        res
          .writeHead(429, { 'content-type': 'application/json' })
          .end('{"error":{"code":130429,"message":"Rate limit hit"}}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the Graph request to WHATSAPP_API_URL, keeping path, query and headers', async () => {
    const graphFetch = originSwappingFetch(`http://127.0.0.1:${port}/sandbox/whatsapp/graph/`);
    const res = await graphFetch('https://graph.facebook.com/v21.0/1001/messages?x=1', {
      method: 'POST',
      headers: { Authorization: 'Bearer t' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ url: '/sandbox/whatsapp/graph/v21.0/1001/messages?x=1', auth: 'Bearer t' });
  });

  it('turns a non-2xx answer and an unreachable host into GraphApiError with the status', async () => {
    const graphFetch = originSwappingFetch(`http://127.0.0.1:${port}`);
    await expect(
      graphFetch('https://graph.facebook.com/v21.0/fail/messages', { method: 'POST' }),
    ).rejects.toMatchObject({ httpStatus: 429, graphCode: 130429 });
    const closed = originSwappingFetch('http://127.0.0.1:1');
    await expect(closed('https://graph.facebook.com/v21.0/1/messages')).rejects.toMatchObject({
      httpStatus: undefined,
      code: 'graph_network',
    });
  });
});

describe('webhook signatures and payloads', () => {
  it('checks X-Hub-Signature-256 over the exact bytes, in constant time', () => {
    const body = serializeWebhook(buildInboundPayload('1', { from: '919876543210', text: 'नमस्ते' }));
    expect([...body].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
    const signature = webhookSignature(body, 'secret');
    expect(isValidWebhookSignature(Buffer.from(body), signature, 'secret')).toBe(true);
    expect(
      isValidWebhookSignature(Buffer.from(body), signature.toUpperCase().replace('SHA256', 'sha256'), 'secret'),
    ).toBe(true);
    expect(isValidWebhookSignature(Buffer.from(body), webhookSignature(body, 'other'), 'secret')).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(`${body} `), signature, 'secret')).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), undefined, 'secret')).toBe(false);
    expect(isValidWebhookSignature(undefined, signature, 'secret')).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), 'sha256=short', 'secret')).toBe(false);
  });

  it('classifies what the bot reads and what it does not', () => {
    const base = { from: '919876543210', id: 'wamid.1', timestamp: '1' };
    expect(classifyInbound({ ...base, type: 'text', text: { body: 'hi' } })).toEqual({
      kind: 'text',
      content: { text: 'hi' },
    });
    expect(
      classifyInbound({
        ...base,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'b', title: 'B' } },
      }),
    ).toEqual({ kind: 'button', content: { replyId: 'b', replyTitle: 'B' } });
    expect(
      classifyInbound({
        ...base,
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: 'r', title: 'R' } },
      }),
    ).toEqual({ kind: 'list', content: { replyId: 'r', replyTitle: 'R' } });
    expect(classifyInbound({ ...base, type: 'button', button: { payload: 'p', text: 'P' } })).toEqual({
      kind: 'button',
      content: { replyId: 'p', replyTitle: 'P' },
    });
    for (const type of ['image', 'location', 'reaction', 'unknown', 'interactive'])
      expect(classifyInbound({ ...base, type })).toEqual({ kind: 'unsupported' });
  });

  it('knows the sandbox magic recipients', () => {
    expect(faultFor('919800000429')).toMatchObject({ kind: 'reject_once', httpStatus: 429 });
    expect(faultFor('919800000500')).toMatchObject({ kind: 'reject_once', httpStatus: 500 });
    expect(faultFor('919800000400')).toMatchObject({ kind: 'reject', httpStatus: 400 });
    expect(faultFor('919800000470')).toMatchObject({ kind: 'fail_status' });
    expect(faultFor('919800000204')).toEqual({ kind: 'silent' });
    expect(faultFor('919800000001')).toBeUndefined();
  });
});
