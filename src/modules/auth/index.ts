/** The auth module: staff sign-in, sessions, devices, MFA and staff management. */
import type { DomainModule } from '../index.js';
import { authRoutes } from './auth.routes.js';
import { staffRoutes } from './staff.routes.js';
import './device.model.js';
import './staff.model.js';

// Staff sign-in guard for other modules' routes.
/** Mounts /api/v1/auth and /api/v1/staff. */
export const authModule: DomainModule = {
  name: 'auth',
  mount(app, runtime) {
    app.use('/api/v1/auth', authRoutes(runtime));
    app.use('/api/v1/staff', staffRoutes(runtime));
  },
};

export { requireStaff } from './auth.middleware.js';
