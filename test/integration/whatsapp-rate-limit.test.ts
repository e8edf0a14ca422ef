import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { sendWhatsApp } from '../../src/modules/messaging/index.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import type { OutboundRecord } from '../../src/modules/messaging/outbound.model.js';
import { outboundWorkerOptions } from '../../src/modules/messaging/outbound.queue.js';
import { templateMessage } from '../../src/modules/messaging/whatsapp-messages.js';
import type { SandboxMessageView } from '../../src/sandbox/whatsapp/graph.service.js';
import { startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

const RATE = 4;

describe('outbound rate limit per business number', () => {
  let t: ListeningApp;
  let clinicId: string;

  beforeAll(async () => {
    t = await startListeningApp('wa-rate', { env: { WHATSAPP_RATE_PER_SECOND: String(RATE) } });
    clinicId = (await ensureDefaultClinic()).id;
  });
  afterAll(async () => {
    await t.close();
  });

  async function received(recipients: string[]): Promise<number> {
    let count = 0;
    for (const to of recipients) {
      const res = await t.http.get('/sandbox/whatsapp/api/messages').query({ to });
      count += (res.body as { messages: SandboxMessageView[] }).messages.length;
    }
    return count;
  }

  it('configures the outbound worker with WHATSAPP_RATE_PER_SECOND', () => {
    expect(outboundWorkerOptions(t.runtime.config).limiter).toEqual({ max: RATE, duration: 1000 });
  });

  it('spreads a burst over whole seconds: 10 messages at 4/s take at least two limiter windows', async () => {
    // Ten recipients, so pacing per recipient plays no part; templates need no open window.
    const recipients = Array.from({ length: 10 }, (_, i) => `9198333000${String(i).padStart(2, '0')}`);
    const message = templateMessage({ name: 'appointment_update', languageCode: 'en', bodyParameters: ['x'] });
    await Promise.all(recipients.map((to) => sendWhatsApp({ clinicId, to, message, purpose: 'appointment_update' })));
    await waitFor(
      async () => (await OutboundMessageModel.countDocuments({ clinicId, status: { $ne: 'queued' } })) === 10,
      { what: 'ten sends' },
    );

    // dispatchedAt is taken as each job starts sending, right after the limiter let it run.
    const records = await OutboundMessageModel.find({ clinicId }).lean<OutboundRecord[]>();
    const times = records.map((record) => record.dispatchedAt!.getTime()).sort((x, y) => x - y);
    expect(times).toHaveLength(10);
    // The first job opens a one-second window of 4; jobs 9 and 10 cannot start before the third
    // window, 2 s later. Only a lower bound is asserted (a slow machine is later, never earlier),
    // with slack for the first job's own reads before it took its timestamp.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1500);
    expect(await received(recipients)).toBe(10);
  }, 30_000);
});
