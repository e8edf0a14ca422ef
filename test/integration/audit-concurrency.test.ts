import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { systemActor } from '../../src/platform/actor.js';
import { audit } from '../../src/platform/audit/audit.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify-chain.js';
import { startTestRuntime } from '../helpers/test-runtime.js';
import type { TestRuntime } from '../helpers/test-runtime.js';

let t: TestRuntime;

/** Runs the appender in its own node process; resolves with its exit code and output. */
function appender(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/audit-appender.ts'], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  t = await startTestRuntime('auditconc');
});
afterAll(async () => {
  await t.close();
});

describe('concurrent audit appends', () => {
  it('two processes and 50 in-process appends at once form one valid chain', async () => {
    const clinicId = 'race';
    // Far enough ahead for both children to boot tsx and connect on a busy two-core machine.
    const startAt = Date.now() + 6000;
    const shared = { ...t.env, APPEND_CLINIC: clinicId, APPEND_COUNT: '50', APPEND_START_AT: String(startAt) };
    const children = [appender({ ...shared, APPEND_LABEL: 'p1' }), appender({ ...shared, APPEND_LABEL: 'p2' })];

    await sleep(Math.max(0, startAt - Date.now()));
    const local = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        audit.record({
          actor: systemActor(clinicId, 'test:local'),
          action: 'test.append',
          entity: { type: 'test_item', id: `local-${i}` },
        }),
      ),
    );
    const results = await Promise.all(children);
    // On failure the received object shows the child's stderr.
    for (const result of results) expect(result).toMatchObject({ code: 0 });
    expect(new Set(local.map((receipt) => receipt.seq)).size).toBe(50);

    const report = await verifyAuditChain({ clinicId });
    expect(report).toEqual({ ok: true, checked: 150, chains: 1 });
    const events = await mongoose.connection
      .db!.collection('audit_events')
      .find({ clinicId })
      .sort({ seq: 1 })
      .toArray();
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    // All three writers really interleaved: each one's events are spread across the chain.
    const writers = new Set(events.slice(0, 75).map((event) => event.actor.id));
    console.log(
      `audit race: ${results.map((result) => result.stdout.trim()).join(' ')}; writers in first half: ${[...writers].join(', ')}`,
    );
    expect(writers.size).toBeGreaterThan(1);
  }, 90_000);
});
