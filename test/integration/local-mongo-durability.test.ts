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

  it('keeps every acknowledged write of 32 concurrent writers killed mid-flight (group commit)', async () => {
    const port = await freePort();
    const groupFile = path.join(dir, 'group', 'cinic.mv');
    let group = await startJavaMongo({ port, file: groupFile });
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}`, {
      serverSelectionTimeoutMS: 5000,
      maxPoolSize: 32,
      minPoolSize: 32,
    });
    const visits = client.db('durability').collection<{ writer: number; n: number }>('visits');
    const acknowledged: string[] = [];
    let killed = false;
    const writers = Array.from({ length: 32 }, async (_, writer) => {
      for (let n = 0; !killed; n++) {
        try {
          await visits.insertOne({ writer, n });
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
        acknowledged.push(`${writer}/${n}`);
      }
    });
    // Kill with writes in flight on every connection, once enough have been acknowledged.
    while (acknowledged.length < 1500) await new Promise((resolve) => setTimeout(resolve, 5));
    // How many writes each commit covers is a throughput figure, which `npm run bench` reports
    // (webhook-throughput); here only that the launcher counted every acknowledged write.
    const stats = await client.db('admin').command({ cinicGroupCommitStats: 1 });
    expect(stats.writes).toBeGreaterThanOrEqual(1500);
    const acknowledgedAtKill = acknowledged.length;
    killed = true;
    group.kill('SIGKILL');
    await new Promise((resolve) => group.once('exit', resolve));
    await Promise.all(writers);
    await client.close(true);

    group = await startJavaMongo({ port, file: groupFile });
    try {
      const again = await MongoClient.connect(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 5000 });
      const kept = await again
        .db('durability')
        .collection('visits')
        .find({}, { projection: { writer: 1, n: 1 } })
        .toArray();
      await again.close();
      const keptKeys = new Set(kept.map((doc) => `${doc.writer}/${doc.n}`));
      // Every write acknowledged before the kill (and any acknowledged while it landed) survived.
      expect(acknowledged.length).toBeGreaterThanOrEqual(acknowledgedAtKill);
      expect(acknowledged.filter((key) => !keptKeys.has(key))).toEqual([]);
      // Writes of all 32 writers were in play, so commits covered several of them together.
      expect(new Set(kept.map((doc) => doc.writer)).size).toBe(32);
    } finally {
      await stopChild(group);
    }
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
