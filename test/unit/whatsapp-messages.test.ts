import { describe, expect, it } from '@jest/globals';
import { encodeInteractiveId, parseInteractiveId } from '../../src/modules/messaging/interactive-ids.js';
import {
  WHATSAPP_LIMITS,
  ctaUrlMessage,
  documentMessage,
  fitMessage,
  listMessage,
  replyButtonsMessage,
  templateMessage,
  textMessage,
  toCloudApiPayload,
} from '../../src/modules/messaging/whatsapp-messages.js';
import type { ListMessage, OutboundMessage } from '../../src/modules/messaging/whatsapp-messages.js';
import { ELLIPSIS, splitGraphemes, truncateText } from '../../src/modules/messaging/whatsapp-text.js';

// Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Grapheme clusters that break naive cutting: conjuncts, matras, ZWJ emoji, flags, skin tones, combining marks.
const PIECES = [
  'a',
  'Z',
  ' ',
  '\n',
  'क्षि',
  'स्ते',
  'ज्ञ',
  'हिं',
  'दी',
  'र्',
  'ँ',
  '👩‍⚕️',
  '🇮🇳',
  '👍🏽',
  'é',
  'ﷺ',
  '₹',
  '\t',
  '\u0007',
];

function randomText(next: () => number, maxPieces: number): string {
  const count = Math.floor(next() * maxPieces);
  let text = '';
  for (let i = 0; i < count; i += 1) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

/** The cut text (without its ellipsis) must be a run of whole graphemes from the start of the original. */
function expectCleanCut(original: string, cut: string): void {
  if (!cut.endsWith(ELLIPSIS) || original.endsWith(ELLIPSIS)) return;
  const kept = splitGraphemes(cut.slice(0, -ELLIPSIS.length));
  const source = splitGraphemes(original);
  const joined = kept.join('');
  expect(original.startsWith(joined)).toBe(true);
  let length = 0;
  let whole = joined.length === 0;
  for (const cluster of source) {
    length += cluster.length;
    if (length === joined.length || length === joined.trimEnd().length) whole = true;
    if (length >= joined.length) break;
  }
  expect(whole).toBe(true);
  expect(joined.endsWith('\u094D')).toBe(false);
}

describe('truncateText', () => {
  it('leaves text that fits untouched and cuts the rest with an ellipsis', () => {
    expect(truncateText('Book appointment', 20)).toBe('Book appointment');
    expect(truncateText('Book an appointment today', 20)).toBe('Book an appointment…');
    expect(truncateText('अपॉइंटमेंट बुक करें कृपया', 20)).toBe('अपॉइंटमेंट बुक करें…');
  });

  it('never splits a grapheme, and never leaves a dangling virama', () => {
    expect(truncateText('क्षक्षक्षक्ष', 4)).toBe('क्ष…');
    expect(truncateText('👩‍⚕️👩‍⚕️', 6)).toBe('👩‍⚕️…');
    expect(truncateText('👩‍⚕️👩‍⚕️', 5)).toBe('…');
  });

  it('holds for thousands of random mixed-script strings and limits', () => {
    const next = random(20250113);
    for (let i = 0; i < 3000; i += 1) {
      const text = randomText(next, 60);
      const max = 1 + Math.floor(next() * 40);
      const cut = truncateText(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      if (text.length <= max) expect(cut).toBe(text);
      else expectCleanCut(text, cut);
    }
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => truncateText('x', 0)).toThrow(RangeError);
  });
});

/** Checks every limit Meta enforces on a message. */
function expectWithinLimits(message: OutboundMessage): void {
  const L = WHATSAPP_LIMITS;
  switch (message.kind) {
    case 'text':
      expect(message.body.length).toBeGreaterThan(0);
      expect(message.body.length).toBeLessThanOrEqual(L.textBody);
      break;
    case 'buttons': {
      expect(message.body.length).toBeLessThanOrEqual(L.interactiveBody);
      expect(message.buttons.length).toBeGreaterThanOrEqual(1);
      expect(message.buttons.length).toBeLessThanOrEqual(L.buttons);
      expect(new Set(message.buttons.map((b) => b.id)).size).toBe(message.buttons.length);
      expect(new Set(message.buttons.map((b) => b.title)).size).toBe(message.buttons.length);
      for (const button of message.buttons) {
        expect(button.title.length).toBeGreaterThan(0);
        expect(button.title.length).toBeLessThanOrEqual(L.buttonTitle);
        expect(button.title).not.toMatch(/\n/);
      }
      if (message.header) expect(message.header.length).toBeLessThanOrEqual(L.headerText);
      if (message.footer) expect(message.footer.length).toBeLessThanOrEqual(L.footerText);
      break;
    }
    case 'list': {
      const rows = message.sections.flatMap((section) => section.rows);
      expect(message.body.length).toBeLessThanOrEqual(L.interactiveBody);
      expect(message.button.length).toBeLessThanOrEqual(L.listButton);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(L.listRows);
      expect(message.sections.length).toBeLessThanOrEqual(L.listSections);
      expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
      if (message.sections.length > 1) for (const section of message.sections) expect(section.title).toBeTruthy();
      for (const section of message.sections)
        if (section.title) expect(section.title.length).toBeLessThanOrEqual(L.sectionTitle);
      for (const row of rows) {
        expect(row.title.length).toBeLessThanOrEqual(L.rowTitle);
        if (row.description !== undefined) expect(row.description.length).toBeLessThanOrEqual(L.rowDescription);
      }
      break;
    }
    default:
      break;
  }
}

describe('builders', () => {
  it('text: cuts at 4096 and strips control characters', () => {
    const message = textMessage(`${'नमस्ते '.repeat(1000)}\u0000`);
    expect(message.body.length).toBeLessThanOrEqual(4096);
    expect(message.body.endsWith('…')).toBe(true);
    expect(textMessage('a\u0007b\nc').body).toBe('ab\nc');
    expect(() => textMessage(' \n ')).toThrow(TypeError);
  });

  it('buttons: at most three, titles ≤ 20 and distinct, ids distinct', () => {
    const message = replyButtonsMessage({
      body: 'Pick one',
      buttons: [
        { id: 'a', title: 'A very long button title indeed' },
        { id: 'a', title: 'Duplicate id' },
        { id: 'b', title: 'A very long button title again' },
        { id: 'c', title: '   ' },
        { id: 'd', title: 'Fourth' },
        { id: 'e', title: 'Fifth' },
      ],
    });
    expect(message).toEqual({
      kind: 'buttons',
      body: 'Pick one',
      buttons: [
        { id: 'a', title: 'A very long button…' },
        { id: 'b', title: 'A very long but… (2)' },
        { id: 'd', title: 'Fourth' },
      ],
    });
  });

  it('buttons: degrade to text when none are left', () => {
    expect(replyButtonsMessage({ body: 'Hello', buttons: [] })).toEqual({
      kind: 'text',
      body: 'Hello',
      previewUrl: false,
    });
  });

  it('list: ten rows across sections, row and section limits, duplicates dropped', () => {
    const sections = [0, 1, 2].map((s) => ({
      title: `Section ${s} with a rather long title`,
      rows: Array.from({ length: 5 }, (_, r) => ({
        id: `r${s}-${r}`,
        title: `${r}. Row title that is much too long`,
        description: 'd'.repeat(100),
      })),
    }));
    sections[1]!.rows.unshift({ id: 'r0-0', title: 'duplicate', description: 'x' });
    const message = listMessage({
      body: 'b'.repeat(2000),
      button: 'Choose a time slot please',
      sections,
    }) as ListMessage;
    expectWithinLimits(message);
    expect(message.sections.map((section) => section.rows.length)).toEqual([5, 5]);
    expect(message.sections[0]?.title).toBe('Section 0 with a rather…');
    expect(message.button).toBe('Choose a time slot…');
  });

  it('list: merges sections when one has no title, and degrades to text with no rows', () => {
    const merged = listMessage({
      body: 'b',
      button: 'Go',
      sections: [
        { title: 'One', rows: [{ id: '1', title: 'x' }] },
        { rows: [{ id: '2', title: 'y' }] },
        { title: 'Empty', rows: [] },
      ],
    });
    expect(merged).toMatchObject({ kind: 'list', sections: [{ rows: [{ id: '1' }, { id: '2' }] }] });
    expect((merged as ListMessage).sections[0]?.title).toBeUndefined();
    expect(listMessage({ body: 'b', button: 'Go', sections: [{ title: 'Empty', rows: [] }] })).toMatchObject({
      kind: 'text',
    });
  });

  it('respect every limit for random long, mixed-script input', () => {
    const next = random(424242);
    for (let i = 0; i < 400; i += 1) {
      const buttons = Array.from({ length: Math.floor(next() * 6) }, () => ({
        id: `b${Math.floor(next() * 4)}`,
        title: randomText(next, 30) || 'x',
      }));
      const body = randomText(next, 700) || 'body';
      const sections = Array.from({ length: Math.floor(next() * 12) }, (_, s) => ({
        ...(next() > 0.2 ? { title: randomText(next, 20) } : {}),
        rows: Array.from({ length: Math.floor(next() * 6) }, () => ({
          id: `r${s}-${Math.floor(next() * 5)}`,
          title: randomText(next, 20) || 'row',
          description: randomText(next, 50),
        })),
      }));
      for (const message of [
        textMessage(`${body}${body}${body}${body}${body}${body}${body}`),
        replyButtonsMessage({ body, buttons, header: randomText(next, 40), footer: randomText(next, 40) }),
        listMessage({ body, button: randomText(next, 20) || 'Go', sections }),
      ]) {
        expectWithinLimits(message);
        expect(fitMessage(message)).toEqual(message);
      }
    }
  });

  it('template: one-line parameters within limits; invalid names refused', () => {
    const message = templateMessage({
      name: 'appointment_reminder',
      languageCode: 'hi',
      header: { kind: 'text', text: 'h'.repeat(100) },
      bodyParameters: ['Ravi\nKumar', 'x'.repeat(2000), 'a     b\tc'],
      quickReplyPayloads: ['confirm:1-2:yes'],
    });
    expect(message.bodyParameters[0]).toBe('Ravi Kumar');
    expect(message.bodyParameters[1]?.length).toBe(1024);
    expect(message.bodyParameters[2]).toBe('a b c');
    expect(message.header).toEqual({ kind: 'text', text: `${'h'.repeat(59)}…` });
    expect(() => templateMessage({ name: 'Bad Name', languageCode: 'en' })).toThrow(TypeError);
    expect(() => templateMessage({ name: 'ok', languageCode: 'english' })).toThrow(TypeError);
  });

  it('document: exactly one of link or media id; caption cut to 1024', () => {
    const doc = documentMessage({
      link: 'https://files.example/invoice.pdf',
      filename: 'invoice\n.pdf',
      caption: 'c'.repeat(3000),
    });
    expect(doc.caption?.length).toBe(1024);
    expect(doc.filename).toBe('invoice .pdf');
    expect(() => documentMessage({})).toThrow(TypeError);
    expect(() => documentMessage({ link: 'https://a', mediaId: '1' })).toThrow(TypeError);
    expect(() => documentMessage({ link: 'javascript:alert(1)' })).toThrow(TypeError);
  });

  it("link button: Meta's limits (body 1024, label 20, header and footer 60); the URL is never cut", () => {
    const url = `https://rzp.io/l/${'x'.repeat(2000)}`;
    const message = ctaUrlMessage({
      body: 'b'.repeat(3000),
      buttonText: 'अभी भुगतान करें — सुरक्षित रूप से',
      url,
      header: 'h'.repeat(100),
      footer: 'f\n'.repeat(100),
    });
    expect(message.kind).toBe('cta_url');
    expect(message.body).toHaveLength(WHATSAPP_LIMITS.interactiveBody);
    expect(message.buttonText.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.ctaDisplayText);
    expect(message.buttonText.endsWith('…')).toBe(true);
    expect(message.header).toHaveLength(60);
    expect(message.footer).toHaveLength(60);
    expect(message.footer).not.toContain('\n');
    expect(message.url).toBe(url);
    expect(WHATSAPP_LIMITS.ctaDisplayText).toBe(20);
    expect(
      ctaUrlMessage({ body: 'Pay', buttonText: 'Pay now', url: 'https://rzp.io/l/1', header: ' ', footer: '' }),
    ).toEqual({ kind: 'cta_url', body: 'Pay', buttonText: 'Pay now', url: 'https://rzp.io/l/1' });
  });

  it('link button: refuses what no patient input can cause — a non-web URL, an empty label or body', () => {
    for (const url of ['javascript:alert(1)', 'rzp.io/l/1', 'ftp://files.example/x', ''])
      expect(() => ctaUrlMessage({ body: 'Pay', buttonText: 'Pay now', url })).toThrow(TypeError);
    expect(() => ctaUrlMessage({ body: 'Pay', buttonText: ' \n ', url: 'https://rzp.io/l/1' })).toThrow(TypeError);
    expect(() => ctaUrlMessage({ body: '  ', buttonText: 'Pay now', url: 'https://rzp.io/l/1' })).toThrow(TypeError);
  });

  it('refuses ids that WhatsApp would reject, as those are bugs rather than input', () => {
    expect(() => replyButtonsMessage({ body: 'b', buttons: [{ id: 'x'.repeat(257), title: 't' }] })).toThrow(
      RangeError,
    );
    expect(() => listMessage({ body: 'b', button: 'Go', sections: [{ rows: [{ id: '', title: 't' }] }] })).toThrow(
      RangeError,
    );
  });
});

describe('interactive ids', () => {
  it('encode the step and token, and parse back', () => {
    const id = encodeInteractiveId('slot', '1-a', '65a1:ff');
    expect(id).toBe('slot:1-a:65a1:ff');
    expect(parseInteractiveId(id)).toEqual({ step: 'slot', token: '1-a', value: '65a1:ff' });
  });

  it('parse anything else as null', () => {
    for (const junk of ['', 'slot', 'slot:1', 'slot:1:', ':1:x', 'sl ot:1:x', 'slot:1 2:x'])
      expect(parseInteractiveId(junk)).toBeNull();
  });

  it('refuse parts that would not parse back, and ids over the row limit', () => {
    expect(() => encodeInteractiveId('sl:ot', '1', 'x')).toThrow(TypeError);
    expect(() => encodeInteractiveId('slot', '1', '')).toThrow(TypeError);
    expect(() => encodeInteractiveId('slot', '1', 'x'.repeat(200))).toThrow(RangeError);
  });
});

describe('toCloudApiPayload', () => {
  const to = '+91 98765-43210';

  it('text', () => {
    expect(toCloudApiPayload(to, textMessage('Hello'))).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'text',
      text: { preview_url: false, body: 'Hello' },
    });
  });

  it('reply buttons', () => {
    const message = replyButtonsMessage({
      body: 'Confirm?',
      header: 'Sunrise',
      footer: 'Reply menu any time',
      buttons: [{ id: 'c:1:yes', title: 'Yes' }],
    });
    expect(toCloudApiPayload('919876543210', message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Sunrise' },
        body: { text: 'Confirm?' },
        footer: { text: 'Reply menu any time' },
        action: { buttons: [{ type: 'reply', reply: { id: 'c:1:yes', title: 'Yes' } }] },
      },
    });
  });

  it('list', () => {
    const message = listMessage({
      body: 'Pick a time',
      button: 'Choose time',
      sections: [
        { title: 'Morning', rows: [{ id: 's:1:a', title: '1. 10:30 AM', description: 'Dr. Rao' }] },
        { title: 'More', rows: [{ id: 's:1:+more', title: '2. More times' }] },
      ],
    });
    expect(toCloudApiPayload('919876543210', message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Pick a time' },
        action: {
          button: 'Choose time',
          sections: [
            { title: 'Morning', rows: [{ id: 's:1:a', title: '1. 10:30 AM', description: 'Dr. Rao' }] },
            { title: 'More', rows: [{ id: 's:1:+more', title: '2. More times' }] },
          ],
        },
      },
    });
  });

  it('template, with document header, body parameters and quick replies', () => {
    const message = templateMessage({
      name: 'invoice_ready',
      languageCode: 'en_US',
      header: { kind: 'document', link: 'https://files.example/inv.pdf', filename: 'INV-1.pdf' },
      bodyParameters: ['Ravi', '₹500'],
      quickReplyPayloads: ['menu:0-1:book'],
    });
    expect(toCloudApiPayload('919876543210', message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'template',
      template: {
        name: 'invoice_ready',
        language: { code: 'en_US' },
        components: [
          {
            type: 'header',
            parameters: [
              { type: 'document', document: { link: 'https://files.example/inv.pdf', filename: 'INV-1.pdf' } },
            ],
          },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ravi' },
              { type: 'text', text: '₹500' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'menu:0-1:book' }],
          },
        ],
      },
    });
    expect(
      toCloudApiPayload('919876543210', templateMessage({ name: 'hello_world', languageCode: 'en' })).template,
    ).toEqual({
      name: 'hello_world',
      language: { code: 'en' },
    });
  });

  it('link button (interactive cta_url)', () => {
    const message = ctaUrlMessage({
      body: 'Please pay *₹500* with the button below.',
      buttonText: 'Pay now',
      url: 'https://rzp.io/l/abc123',
      header: 'Sunrise Clinic',
      footer: 'Held until 10:15 AM',
    });
    expect(toCloudApiPayload(to, message)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        header: { type: 'text', text: 'Sunrise Clinic' },
        body: { text: 'Please pay *₹500* with the button below.' },
        footer: { text: 'Held until 10:15 AM' },
        action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'https://rzp.io/l/abc123' } },
      },
    });
    const handMade: OutboundMessage = {
      kind: 'cta_url',
      body: 'b'.repeat(2000),
      buttonText: 'A label far longer than twenty',
      url: 'https://rzp.io/l/abc123',
    };
    const fitted = toCloudApiPayload(to, handMade).interactive!;
    expect(fitted.body.text).toHaveLength(1024);
    expect(fitted.action).toEqual({
      name: 'cta_url',
      parameters: { display_text: 'A label far longer…', url: 'https://rzp.io/l/abc123' },
    });
  });

  it('document by media id', () => {
    expect(
      toCloudApiPayload('919876543210', documentMessage({ mediaId: '1234', caption: 'Your prescription' })),
    ).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '919876543210',
      type: 'document',
      document: { id: '1234', caption: 'Your prescription' },
    });
  });

  it('fits a hand-made message that ignores the limits', () => {
    const handMade: OutboundMessage = {
      kind: 'buttons',
      body: 'b'.repeat(5000),
      buttons: Array.from({ length: 5 }, (_, i) => ({ id: `id${i}`, title: `Button number ${i} is long` })),
    };
    const payload = toCloudApiPayload('919876543210', handMade);
    const interactive = payload.interactive!;
    expect(interactive.body.text.length).toBe(1024);
    expect('buttons' in interactive.action && interactive.action.buttons).toHaveLength(3);
  });

  it('refuses a recipient that is not a WhatsApp id', () => {
    for (const bad of ['', 'abc', '12345', '+91 98765 43210 12345'])
      expect(() => toCloudApiPayload(bad, textMessage('x'))).toThrow(TypeError);
  });

  it('produces JSON that survives serialisation unchanged', () => {
    const message = listMessage({
      body: 'नमस्ते 🙏',
      button: 'चुनें',
      sections: [{ rows: [{ id: 'a:1:b', title: 'क्षि' }] }],
    });
    const payload = toCloudApiPayload('919876543210', message);
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });
});
