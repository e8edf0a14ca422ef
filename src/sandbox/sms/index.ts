/**
 * The local stand-in for the SMS gateway (Gupshup Enterprise), active only in sandbox mode: the
 * real provider client (src/modules/automation/sms/gupshup.provider.ts) posts to it through
 * SMS_API_URL, so the production code path is the one exercised.
 */
import type { DomainModule } from '../../modules/index.js';
import './sandbox-sms.model.js';
import { smsSandboxRoutes } from './sms.routes.js';

export { SMS_FAULTS } from './faults.js';

/** Mounts the SMS stand-in and its page when `config.sandbox` is on; does nothing otherwise. */
export const smsSandboxModule: DomainModule = {
  name: 'sandbox-sms',
  mount(app, runtime) {
    if (!runtime.config.sandbox) return;
    app.use(smsSandboxRoutes(runtime));
  },
};
