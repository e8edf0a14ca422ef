/** Stops the services global-setup started and removes their temporary data. */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.cinicTestServices;
  if (!started) return;
  await started.services.stop();
  rmSync(started.dataDir, { recursive: true, force: true });
}
