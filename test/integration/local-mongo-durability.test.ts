import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, startJavaMongo, stopChild } from '../../scripts/local-services.mjs';

describe('the local MongoDB-wire server (mongo-java-server, H2 file)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cinic-durability-'));
  const file = path.join(dir, 'mongo', 'cinic.mv');
  let server: ChildProcess | undefined;

  afterAll(async () => {
    await stopChild(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write after a SIGKILL and a restart', async () => {
    const port = await freePort();
    server = await startJavaMongo({ port, file });
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 5000 });
    const visits = client.db('durability').collection<{ n: number }>('visits');
    for (let n = 1; n <= 300; n++) await visits.insertOne({ n });
    await visits.updateOne({ n: 300 }, { $set: { signed: true } });
    // Kill the instant the last update is acknowledged: no chance for a periodic commit.
    server.kill('SIGKILL');
    await new Promise((resolve) => server!.once('exit', resolve));
    await client.close(true);

    server = await startJavaMongo({ port, file });
    const again = await MongoClient.connect(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 5000 });
    const restarted = again.db('durability').collection('visits');
    expect(await restarted.countDocuments()).toBe(300);
    expect(await restarted.findOne({ n: 300 })).toMatchObject({ n: 300, signed: true });
    await again.close();
  });

  it('exits on its own when the process that started it goes away', async () => {
    const child = server!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Closing its stdin is exactly what the kernel does when the parent dies.
    child.stdin?.end();
    await expect(exited).resolves.toBeDefined();
    server = undefined;
  });
});
