/**
 * The panel's custom React components (plain .jsx beside this file, bundled by AdminJS's rollup
 * set-up — see ../bundle.ts). Paths are taken from the working directory, so the same names work
 * from the sources and from the built image (the Dockerfile keeps admin/components and the bundle).
 */
import path from 'node:path';
import { ComponentLoader } from 'adminjs';

/** Where the component sources live. */
export const COMPONENTS_DIR = path.resolve('admin/components');

/** The component names, by what they are. */
export const COMPONENT_FILES = {
  TodayBoard: 'today-board.jsx',
  HandoffInbox: 'handoff-inbox.jsx',
  ActionForm: 'action-form.jsx',
} as const;

/** Component ids as AdminJS knows them. */
export type PanelComponent = keyof typeof COMPONENT_FILES;

/** A loader with every panel component registered. */
export function panelComponentLoader(): ComponentLoader {
  const loader = new ComponentLoader();
  for (const [name, file] of Object.entries(COMPONENT_FILES)) loader.add(name, path.join(COMPONENTS_DIR, file));
  return loader;
}
