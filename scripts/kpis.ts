/**
 * `npm run kpis -- --from=YYYY-MM-DD --to=YYYY-MM-DD [--clinic=<clinicId>]`
 *
 * Recomputes and stores the daily KPIs (`daily_kpis`) of a past range for every clinic (or one),
 * replacing what the nightly job wrote — after a data fix, or to fill days from before reporting
 * existed. Idempotent: running it twice writes the same figures. Exits 0 on success, 2 on bad
 * arguments or setup errors.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { registerModules } from '../src/modules/index.js';
import { clinicIds } from '../src/modules/clinics/index.js';
import { rebuildDays } from '../src/modules/reporting/index.js';
import { createLogger, setRootLogger } from '../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../src/platform/runtime.js';

function argument(name: string): string | undefined {
  const prefix = `--${name}=`;
  const inline = process.argv.find((arg) => arg.startsWith(prefix));
  if (inline) return inline.slice(prefix.length);
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<number> {
  const from = argument('from');
  const to = argument('to') ?? from;
  if (!from || !to) {
    console.error('usage: npm run kpis -- --from=YYYY-MM-DD [--to=YYYY-MM-DD] [--clinic=<clinicId>]');
    return 2;
  }
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
    const clinics = argument('clinic') ? [argument('clinic')!] : await clinicIds();
    if (clinics.length === 0) console.log('No clinics yet: nothing to compute.');
    for (const clinicId of clinics) {
      const days = await rebuildDays(clinicId, from, to);
      console.log(`clinic ${clinicId}: ${days.length} day(s) written (${from} … ${to})`);
    }
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  } finally {
    await closeRuntime(runtime);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
