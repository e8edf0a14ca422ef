import { describe, expect, it } from '@jest/globals';
import { spawnApp } from '../helpers/spawn-app.js';
import { waitFor } from '../helpers/whatsapp.js';

describe('the WhatsApp transport in the real process (sandbox mode)', () => {
  // A whole process boots (with the sandbox demo seed) and shuts down: slow on a busy machine.
  it('takes a message typed in the sandbox through the signed webhook and never logs what was said or who said it', async () => {
    const app = await spawnApp('wa-sandbox', { LOG_LEVEL: 'debug' });
    try {
      const send = (body: object) =>
        fetch(`${app.baseUrl}/sandbox/whatsapp/api/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const res = await send({
        from: '919877700123',
        text: 'मुझे बुखार है, Dr Rao chahiye',
        profileName: 'Lakshmi Iyer',
      });
      expect(res.status).toBe(202);
      const { wamid } = (await res.json()) as { wamid: string };
      expect(wamid).toMatch(/^wamid\./);
      expect((await send({ from: '919877700123', replyId: 'menu:t1:book', replyTitle: 'Book' })).status).toBe(202);

      const received = await fetch(`${app.baseUrl}/sandbox/whatsapp/api/messages?to=919877700123`);
      expect(received.status).toBe(200);
      await waitFor(() => app.output().includes('whatsapp webhook received'), { what: 'the webhook log line' });
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
    const output = app.output();
    for (const secret of ['919877700123', '9877700123', 'बुखार', 'Dr Rao', 'Lakshmi', 'menu:t1:book'])
      expect(output).not.toContain(secret);
  }, 90_000);
});
