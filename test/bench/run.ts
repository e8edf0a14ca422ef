/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (or those named on the command line) against
 * the local MongoDB-wire server and Redis that the bootstrap started, prints each one's numbers
 * and fails when a speed goal is missed. Speed goals live here, not in timed Jest tests.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a benchmark reports. */
export interface BenchResult {
  name: string;
  metrics: Record<string, number | string>;
  goals: { goal: string; met: boolean }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
  .sort();

let missed = 0;
for (const file of files) {
  const bench = (await import(pathToFileURL(path.join(here, file)).href)) as { default: () => Promise<BenchResult> };
  const result = await bench.default();
  console.log(`\n${result.name}`);
  for (const [metric, value] of Object.entries(result.metrics)) console.log(`  ${metric.padEnd(28)} ${value}`);
  for (const { goal, met } of result.goals) {
    console.log(`  ${met ? 'met   ' : 'MISSED'} ${goal}`);
    if (!met) missed += 1;
  }
}
if (files.length === 0) console.log('no benchmarks matched');
process.exitCode = missed > 0 ? 1 : 0;
