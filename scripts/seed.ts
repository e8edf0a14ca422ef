/**
 * `npm run seed`
 *
 * Seeds the sandbox demo clinic into the default clinic (profile, three doctors in two
 * specialities with availability and slots, a demo account per doctor and a front-desk account)
 * and prints the new accounts' passwords once. Does nothing when the clinic already has doctors;
 * refuses outside sandbox mode. `npm start` does the same at boot, so this is for a database
 * that was started without it. Exits 0 when seeded or already seeded, 1 outside sandbox, 2 on setup errors.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { ensureFirstAdmin } from '../src/modules/auth/first-admin.js';
import { seedDemoClinic } from '../src/modules/doctors/demo-seed.js';
import { registerModules } from '../src/modules/index.js';
import { createLogger, setRootLogger } from '../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../src/platform/runtime.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  setRootLogger(createLogger('warn'));
  const runtime = await createRuntime(config, registerModules);
  try {
    await ensureFirstAdmin(runtime);
    const result = await seedDemoClinic(runtime);
    if (result.reason === 'not_sandbox') {
      console.error('The demo clinic is seeded only in sandbox mode (never in production).');
      return 1;
    }
    if (result.reason === 'has_doctors') console.log('The clinic already has doctors; nothing to seed.');
    return 0;
  } finally {
    await closeRuntime(runtime);
  }
}

process.exitCode = await main();
