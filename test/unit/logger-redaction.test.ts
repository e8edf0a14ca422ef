import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), output: () => lines.join('') };
}

describe('log redaction', () => {
  const phone = '+919876543210';
  const note = 'Patient reports chest pain radiating to left arm';

  it('prints neither a phone number nor note text, at any depth', () => {
    const { logger, output } = capture();
    logger.info({ phone, note }, 'top level');
    logger.info({ patient: { phone, emergencyContact: { phone } }, visit: { subjective: note, plan: note } }, 'nested');
    logger.info(
      { entry: [{ changes: [{ value: { messages: [{ from: phone, text: { body: note } }] } }] }] },
      'webhook-shaped',
    );
    logger.info({ req: { headers: { authorization: 'Bearer abc', cookie: 'cinic.sid=123' } } }, 'headers');
    const printed = output();
    expect(printed).not.toContain('9876543210');
    expect(printed).not.toContain('chest pain');
    expect(printed).not.toContain('Bearer abc');
    expect(printed).not.toContain('cinic.sid=123');
    expect(printed).toContain('[redacted]');
    expect(printed.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('keeps ids and error messages readable for the engineer on call', () => {
    const { logger, output } = capture();
    logger.error({ appointmentId: 'apt_123', err: new Error('slot already taken') }, 'booking failed');
    expect(output()).toContain('apt_123');
    expect(output()).toContain('slot already taken');
  });
});
