/**
 * The patient-auth module: sign-in with a one-time code (WhatsApp authentication template; SMS
 * once a sender is wired) and short patient sessions, for the portal and the API.
 */
import type { Runtime } from '../../platform/runtime.js';
import { createGupshupProvider } from '../automation/index.js';
import type { DomainModule } from '../index.js';
import { otpSmsText } from './otp-delivery.js';
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
 * What sign-in needs from other modules: the clinic's SMS provider (the automation module's
 * Gupshup/DLT provider; the /sandbox/sms stand-in in sandbox mode) for numbers not on WhatsApp.
 */
export function patientAuthDeps(runtime: Runtime): PatientAuthDeps {
  const sms = createGupshupProvider(runtime.config.sms);
  return {
    smsOtp: async (message) => {
      await sms.send({ to: message.phone, template: 'otp', language: message.language, text: otpSmsText(message) });
    },
  };
}

/** Mounts /api/v1/auth/otp. */
export const patientAuthModule: DomainModule = {
  name: 'patient-auth',
  mount(app, runtime) {
    app.use('/api/v1/auth/otp', otpRoutes(runtime, patientAuthDeps(runtime)));
  },
};
