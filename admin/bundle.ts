/**
 * The custom components bundle, built ONCE and reused: keyed by a hash of the generated entry,
 * every component source, NODE_ENV and the AdminJS version, and kept in the git-ignored
 * `.adminjs/` folder. A process (or a test file) whose key is already built only reads the file;
 * nothing bundles per request. `npm test`'s global setup and the Docker build call
 * `node --import tsx admin/bundle.cli.ts` so no test and no production start bundles at all.
 * Production (`NODE_ENV=production`) gets AdminJS's minified build of the same entry.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type AdminJS from 'adminjs';
import {
  ADMIN_JS_TMP_DIR,
  COMPONENTS_OUTPUT_PATH,
  componentsBundler,
  generateUserComponentEntry,
} from 'adminjs/bundler';

// adminjs does not export its package.json; its version is in the installed file.
const adminjsVersion = await readFile(path.resolve('node_modules/adminjs/package.json'), 'utf8').then(
  (text) => (JSON.parse(text) as { version: string }).version,
  () => 'unknown',
);

/** The bundle file for `admin`'s components, content-addressed. */
export async function bundleKey(admin: AdminJS): Promise<{ key: string; entry: string }> {
  const entry = generateUserComponentEntry(admin, ADMIN_JS_TMP_DIR);
  const hash = createHash('sha256')
    .update(entry)
    .update(process.env.NODE_ENV ?? '')
    .update(adminjsVersion);
  const components = admin.componentLoader.getComponents();
  for (const name of Object.keys(components).sort()) {
    hash.update(name);
    hash.update(await readFile(components[name]!).catch(() => Buffer.from('missing')));
  }
  return { key: hash.digest('hex').slice(0, 20), entry };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Builds the bundle unless this exact one is cached; returns its path. */
export async function ensureComponentsBundle(admin: AdminJS): Promise<string> {
  const { key, entry } = await bundleKey(admin);
  const target = path.resolve(ADMIN_JS_TMP_DIR, `components.${key}.js`);
  if (await exists(target)) return target;
  await mkdir(ADMIN_JS_TMP_DIR, { recursive: true });
  // One builder at a time (AdminJS's bundler writes fixed file names); the others wait for its file.
  const lock = path.resolve(ADMIN_JS_TMP_DIR, 'build.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (await exists(target)) return target;
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (await exists(target)) return target;
    await componentsBundler.createEntry({ content: entry });
    await componentsBundler.build();
    // Write-then-rename: a reader never sees half a file.
    const partial = `${target}.${process.pid}.tmp`;
    await copyFile(COMPONENTS_OUTPUT_PATH, partial);
    await rename(partial, target);
    return target;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
