import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chatPageHtml } from '../../src/sandbox/whatsapp/chat-page.html.js';
import { sandboxInbound } from '../../src/sandbox/whatsapp/sandbox-inbound.model.js';
import type { SandboxInboundView } from '../../src/sandbox/whatsapp/sandbox-inbound.service.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

/** Every <script> tag of `html`: each must load a file and carry no code of its own. */
function scriptTags(html: string): { attributes: string; body: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((match) => ({
    attributes: match[1] ?? '',
    body: match[2] ?? '',
  }));
}

describe('the WhatsApp sandbox chat page (sandbox mode)', () => {
  let t: ListeningApp;

  beforeAll(async () => {
    // No workers: these tests need the webhook to accept messages, not the bot to answer them.
    t = await startListeningApp('wa-page', { workers: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the page as HTML under the strict CSP, with its script as a file and no inline script', async () => {
    const res = await t.http.get('/sandbox/whatsapp');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = scriptTags(res.text);
    expect(scripts).toEqual([{ attributes: ' type="module" src="/sandbox/whatsapp/assets/chat.js"', body: '' }]);
    expect(res.text).not.toMatch(/\son[a-z]+=/i);
    expect(res.text).toContain('<link rel="stylesheet" href="/sandbox/whatsapp/assets/chat.css">');
    expect(res.text).toMatch(/<label[^>]*>Your number <input id="number"/);
    expect(res.text).toContain('<label for="text" class="visually-hidden">Message</label>');
    expect(res.text).toContain('data-fault-suffixes="0429 0500 0400 0470 0204"');
  });

  it('serves the client script and the stylesheet with their content types', async () => {
    const script = await t.http.get('/sandbox/whatsapp/assets/chat.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/i);
    expect(script.text).toContain('/sandbox/whatsapp/api/inbound');
    // The modules it imports are served from the same folder; none of them writes HTML.
    const imports = [...script.text.matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((match) => match[1]);
    expect(imports).toEqual(['chat-messages.js', 'chat-text.js']);
    for (const source of [
      script.text,
      ...(await Promise.all(imports.map(async (file) => (await t.http.get(`/sandbox/whatsapp/assets/${file}`)).text))),
    ]) {
      expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
    const styles = await t.http.get('/sandbox/whatsapp/assets/chat.css');
    expect(styles.status).toBe(200);
    expect(styles.headers['content-type']).toMatch(/^text\/css/);
    expect(styles.text).toContain('Lohit Devanagari');
    expect((await t.http.get('/sandbox/whatsapp/assets/other.js')).status).toBe(404);
  });

  it('lists the page on the landing page', async () => {
    expect((await t.http.get('/')).text).toContain('href="/sandbox/whatsapp"');
  });

  it('escapes what it puts into the shell', () => {
    const html = chatPageHtml({ businessName: '<img src=x onerror=alert(1)> & "Co"', faultSuffixes: ['0429'] });
    expect(html).toContain('<h1>&#60;img src=x onerror=alert(1)&#62; &#38; &#34;Co&#34;</h1>');
    expect(html).not.toContain('<img');
  });

  it('lists what a number sent through the sandbox, oldest first (GET /sandbox/whatsapp/api/inbound)', async () => {
    const from = '919822211101';
    const typed = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from, text: 'नमस्ते <b>hi</b>', profileName: 'Meera' });
    expect(typed.status).toBe(202);
    const button = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from, replyId: 'language:t1:hi', replyTitle: 'हिन्दी' });
    const row = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from, replyId: 'slot:t2:42', replyTitle: '10:30', replyType: 'list' });
    const bare = await t.http
      .post('/sandbox/whatsapp/api/inbound')
      .send({ from, replyId: 'confirm:t3:yes', replyType: 'button' });
    await t.http.post('/sandbox/whatsapp/api/inbound').send({ from: '919822211102', text: 'someone else' });

    const res = await t.http.get('/sandbox/whatsapp/api/inbound').query({ from: `+${from}` });
    expect(res.status).toBe(200);
    const messages = (res.body as { messages: SandboxInboundView[] }).messages;
    expect(messages.map((message) => message.wamid)).toEqual([
      typed.body.wamid,
      button.body.wamid,
      row.body.wamid,
      bare.body.wamid,
    ]);
    expect(messages.map((message) => message.content)).toEqual([
      { type: 'text', text: 'नमस्ते <b>hi</b>' },
      { type: 'button', id: 'language:t1:hi', title: 'हिन्दी' },
      { type: 'list', id: 'slot:t2:42', title: '10:30' },
      { type: 'button', id: 'confirm:t3:yes', title: 'confirm:t3:yes' },
    ]);
    expect(messages.every((message) => message.from === from && !Number.isNaN(Date.parse(message.at)))).toBe(true);
    const times = messages.map((message) => Date.parse(message.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps the numbers and texts encrypted at rest', async () => {
    const raw = await sandboxInbound().collection.find({}).toArray();
    expect(raw.length).toBeGreaterThan(0);
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain('919822211101');
    expect(stored).not.toContain('10:30');
  });

  it('answers 400 for a sender that is not a WhatsApp id', async () => {
    expect((await t.http.get('/sandbox/whatsapp/api/inbound').query({ from: 'abc' })).status).toBe(400);
    expect((await t.http.get('/sandbox/whatsapp/api/inbound')).status).toBe(400);
  });
});

describe('the WhatsApp sandbox chat page outside sandbox mode', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('wa-page-off', {
      env: {
        SANDBOX: 'false',
        WHATSAPP_ACCESS_TOKEN: 'real-token',
        WHATSAPP_PHONE_NUMBER_ID: '100000000000002',
        WHATSAPP_APP_SECRET: 'real-app-secret',
        WHATSAPP_VERIFY_TOKEN: 'real-verify-token',
        RAZORPAY_KEY_ID: 'rzp_live_x',
        RAZORPAY_KEY_SECRET: 'real-key-secret',
        RAZORPAY_WEBHOOK_SECRET: 'real-webhook-secret',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('does not exist', async () => {
    expect(t.runtime.config.sandbox).toBe(false);
    for (const path of [
      '/sandbox/whatsapp',
      '/sandbox/whatsapp/assets/chat.js',
      '/sandbox/whatsapp/assets/chat.css',
      '/sandbox/whatsapp/api/inbound?from=919822211101',
    ]) {
      expect((await t.http.get(path)).status).toBe(404);
    }
    expect((await t.http.get('/')).text).not.toContain('/sandbox/whatsapp');
  });
});
