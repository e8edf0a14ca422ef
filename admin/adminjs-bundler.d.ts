/** Types for AdminJS's bundler entry point (its package exports `./bundler` without declarations). */
declare module 'adminjs/bundler' {
  import type AdminJS from 'adminjs';
  /** Folder AdminJS bundles into (`.adminjs` unless ADMIN_JS_TMP_DIR says otherwise). */
  export const ADMIN_JS_TMP_DIR: string;
  /** Where the components bundler writes its output. */
  export const COMPONENTS_OUTPUT_PATH: string;
  /** The rollup set-up for user components. */
  export const componentsBundler: {
    createEntry(options: { content: string; dir?: string }): Promise<void>;
    build(): Promise<void>;
  };
  /** The entry file that imports every registered component. */
  export function generateUserComponentEntry(admin: AdminJS, entryPath: string): string;
}

declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  /** Parses multipart and form bodies into `req.fields` / `req.files` (what @adminjs/express reads). */
  export default function formidableMiddleware(options?: Record<string, unknown>): RequestHandler;
}
