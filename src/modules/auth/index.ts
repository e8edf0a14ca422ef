/** The auth module: staff sign-in, sessions, devices, MFA and staff management. */
import type { DomainModule } from '../index.js';
import { authRoutes } from './auth.routes.js';
import { staffRoutes } from './staff.routes.js';
import './device.model.js';
import './staff.model.js';

// Staff sign-in guard for other modules' routes.
// The staff panel (admin/) signs in through these, the same services behind /api/v1/auth.
export {
  clearSessionCookie,
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from './auth.cookies.js';
export { codeBody, loginBody } from './auth.schemas.js';
export { signIn, signOut } from './auth.service.js';
export { confirmEnrolment, startEnrolment, verifyCode } from './mfa.service.js';
export type { Enrolment } from './mfa.service.js';
export { resolveSession } from './session.service.js';
export type { ResolvedSession, SessionState } from './session.service.js';
export { decideDevice, listDevices } from './device.service.js';
export type { DeviceView } from './device.service.js';
export { listStaff, updateStaff } from './staff.service.js';
export type { StaffView } from './staff.service.js';
export { Device } from './device.model.js';
export { Staff } from './staff.model.js';

/** Mounts /api/v1/auth and /api/v1/staff. */
export const authModule: DomainModule = {
  name: 'auth',
  mount(app, runtime) {
    app.use('/api/v1/auth', authRoutes(runtime));
    app.use('/api/v1/staff', staffRoutes(runtime));
  },
};

export { requireStaff } from './auth.middleware.js';
