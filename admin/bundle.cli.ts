/**
 * Builds the panel's components bundle once (see bundle.ts): run by the test global setup and
 * the Docker build, so neither a test file nor a production start bundles. Prints the file.
 */
import { buildPanel } from './panel.js';
import { ensureComponentsBundle } from './bundle.js';

const file = await ensureComponentsBundle(buildPanel());
process.stdout.write(`${file}\n`);
