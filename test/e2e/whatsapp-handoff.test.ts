/**
 * Issue 13, point 7, through signed webhooks: after "Talk to front desk" the desk's API returns
 * the chat's recent messages (decrypted for front desk and admin, refused to others, audited),
 * and releasing the chat tells the patient the bot is back.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';
import { Phone, optionsOf, textOf } from '../helpers/whatsapp-phone.js';

jest.setTimeout(120_000);

describe('hand-off to the front desk and back', () => {
  let t: ListeningApp;
  let desk: SignedInStaff;
  let doctor: SignedInStaff;

  beforeAll(async () => {
    t = await startListeningApp('wa-handoff', { env: { WHATSAPP_PACING_MS: '20' } });
    [desk, doctor] = await Promise.all([createStaffAndLogin(t, ['frontdesk']), createStaffAndLogin(t, ['doctor'])]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the desk what was said, then tells the patient when the bot takes over again', async () => {
    const phone = new Phone(t);
    const hello = await phone.say('hi');
    if (optionsOf(hello.at(-1)!).some((option) => option.title === 'English')) await phone.tap('English');
    const handedOff = await phone.tap(/Talk to front desk/);
    expect(handedOff.map(textOf).join('\n')).toMatch(/reply/i);
    await phone.send('Is Dr Rao in on Sunday?');

    const waiting = (await desk.agent.get('/api/v1/conversations').expect(200)).body.items as { id: string }[];
    expect(waiting).toHaveLength(1);
    const id = waiting[0]!.id;

    await doctor.agent.get(`/api/v1/conversations/${id}/messages`).expect(403);
    // The question is stored before the webhook answers; it shows as soon as it is in the inbox.
    const history = await waitFor(
      async () => {
        const res = await desk.agent.get(`/api/v1/conversations/${id}/messages`).expect(200);
        return (res.body.messages as { text: string }[]).some((m) => m.text === 'Is Dr Rao in on Sunday?')
          ? res
          : undefined;
      },
      { what: 'the question in the history' },
    );
    expect(history.headers['cache-control']).toBe('no-store');
    const messages = history.body.messages as { direction: string; text: string }[];
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(
      expect.arrayContaining(['hi', 'Is Dr Rao in on Sunday?']),
    );
    expect(messages.some((m) => m.direction === 'out' && /reply/i.test(m.text))).toBe(true);
    // Oldest first, the patient's question last.
    expect(messages.at(-1)).toMatchObject({ direction: 'in', text: 'Is Dr Rao in on Sunday?' });
    expect(await AuditEvent.countDocuments({ action: 'conversation.messages_read', 'entity.id': id })).toBeGreaterThan(
      0,
    );

    await desk.agent.post(`/api/v1/conversations/${id}/release`).send({}).expect(200);
    const back = await waitFor(
      async () => (await phone.inbox()).find((message) => /back with the .* assistant/.test(textOf(message))),
      { what: 'release message' },
    );
    expect(textOf(back)).toMatch(/You're back with the .* assistant/);
  });
});
