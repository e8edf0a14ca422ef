/**
 * The patient-auth module: sign-in with a one-time code (WhatsApp authentication template; SMS
 * once a sender is wired) and short patient sessions, for the portal and the API.
 */
import type { DomainModule } from '../index.js';
import './otp.model.js';
import { otpRoutes } from './otp.routes.js';
import type { PatientAuthDeps } from './otp.service.js';

export { OTP_RULES, requestOtp, verifyOtp } from './otp.service.js';
export type { OtpRequestAnswer, PatientAuthDeps } from './otp.service.js';
export { OTP_LIMITS } from './otp-limits.js';
export { otpRequestBody, otpVerifyBody } from './otp.schemas.js';
export type { SmsOtpSender } from './otp-delivery.js';
export { PATIENT_SESSION_LIMITS, PatientSessionStore } from './patient-session.store.js';
export {
  PATIENT_SESSION_COOKIE,
  clearPatientCookie,
  patientSessionIdOf,
  patientSessionOf,
  requirePatient,
  resolvePatientSession,
  setPatientCookie,
} from './patient-session.js';
export type { PatientSession } from './patient-session.js';
export { endPatientSessions, signOutPatient } from './sign-out.service.js';

/**
 * What the module needs from others. SMS fallback: pass `smsOtp` here once the clinic's
 * SmsProvider exists (issue 16); until then codes go by WhatsApp only.
 */
export const patientAuthDeps: PatientAuthDeps = {};

/** Mounts /api/v1/auth/otp. */
export const patientAuthModule: DomainModule = {
  name: 'patient-auth',
  mount(app, runtime) {
    app.use('/api/v1/auth/otp', otpRoutes(runtime, patientAuthDeps));
  },
};
