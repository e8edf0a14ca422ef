/**
 * Local-folder storage for the embedded default and tests: files under `<root>/<key>`, with the
 * content type in a sidecar file. Writes go to a temporary file first and are renamed, so a
 * reader never sees half a PDF.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey } from './storage.js';
import type { DocumentStorage, StoredObject } from './storage.js';

/** Storage in a folder on this machine. */
export class LocalDocumentStorage implements DocumentStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(`${target}.type`, contentType);
    await writeFile(temporary, body);
    await rename(temporary, target);
  }

  async get(key: string): Promise<StoredObject | null> {
    const target = this.pathOf(key);
    try {
      const [body, contentType] = await Promise.all([
        readFile(target),
        readFile(`${target}.type`, 'utf8').catch(() => 'application/octet-stream'),
      ]);
      return { body, contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async putImmutable(key: string, body: Buffer, contentType: string): Promise<boolean> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body, { mode: 0o444 });
    try {
      // link() fails with EEXIST instead of replacing: the one atomic "create if absent" for a whole file.
      await writeFile(`${target}.type`, contentType, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await link(temporary, target);
      await chmod(target, 0o444);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix.replace(/\/$/, '');
    assertSafeKey(folder);
    const entries = await readdir(path.join(this.root, folder), { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.type') && !entry.name.endsWith('.tmp'))
      .map((entry) => path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    await rm(target, { force: true });
    await rm(`${target}.type`, { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }
}
