/** The app's version (package.json), recorded in backup manifests. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // From src/ (tsx) the package is four folders up; from dist/src/ (build) five.
  for (const relative of ['../../../../package.json', '../../../../../package.json']) {
    try {
      const version = (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version?: string })
        .version;
      if (version) return version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

/** package.json's version, read once. */
export const APP_VERSION = readVersion();
