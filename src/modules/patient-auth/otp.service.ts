/**
 * Patient sign-in with a one-time code (the portal and the API's patient auth).
 *
 * A code is 6 digits from the CSPRNG, valid 10 minutes, usable once, dead after 5 wrong tries, and
 * stored only as an HMAC. A new code replaces the number's open one. Requests and tries are
 * rate-limited per number and per IP. A number with no patient on it gets exactly the same answer
 * and the same database work — a challenge whose hash matches no code — but no message, so the
 * answers never say who is a patient. Sending happens after the answer is decided, off its path.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { audit } from '../../platform/audit/audit.service.js';
import { blindIndexOf } from '../../platform/crypto/keyring.js';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { ensureDefaultClinic } from '../clinics/index.js';
import { contactActor, contactRecordByPhone, patientIdsForContact } from '../patients/index.js';
import { sendOtpOnWhatsApp } from './otp-delivery.js';
import type { OtpMessage, SmsOtpSender } from './otp-delivery.js';
import { otpLimits } from './otp-limits.js';
import { OtpChallenge } from './otp.model.js';
import type { OtpChallengeRecord } from './otp.model.js';
import { PatientSessionStore } from './patient-session.store.js';
import type { PatientSessionRecord } from './patient-session.store.js';

/** The rules of a code, exported so tests and the README read the same numbers. */
export const OTP_RULES = { digits: 6, ttlMs: 10 * 60_000, maxWrongTries: 5 } as const;

/** What `/otp/request` answers, the same for every number. */
export interface OtpRequestAnswer {
  sent: true;
  channel: 'whatsapp' | 'sms';
  expiresInSeconds: number;
}

/** A successful sign-in. */
export interface OtpSignIn {
  sessionId: string;
  record: PatientSessionRecord;
  patientIds: string[];
}

/** Extra senders wired at registration (the SMS provider, once the clinic has one). */
export interface PatientAuthDeps {
  smsOtp?: SmsOtpSender;
}

const invalidCode = (attemptsLeft?: number) =>
  new AppError('otp_invalid', 401, 'The code is wrong or has expired; request a new one if needed', {
    ...(attemptsLeft !== undefined ? { attemptsLeft } : {}),
  });

function codeKey(runtime: Runtime): string {
  return createHmac('sha256', runtime.config.security.sessionSecret).update('cinic:portal-otp').digest('base64url');
}

function hashCode(runtime: Runtime, challengeId: Types.ObjectId, code: string): string {
  return createHmac('sha256', codeKey(runtime))
    .update(`${String(challengeId)}:${code}`)
    .digest('base64url');
}

/** Sends a fresh code to `phone` (E.164) if it holds a patient; answers the same either way. */
export async function requestOtp(
  runtime: Runtime,
  deps: PatientAuthDeps,
  input: { phone: string; ip: string; channel?: 'whatsapp' | 'sms'; language?: 'en' | 'hi' },
  now = new Date(),
): Promise<OtpRequestAnswer> {
  const clinic = await ensureDefaultClinic();
  await otpLimits(runtime).chargeRequest(clinic.id, input.phone, input.ip);
  const channel = input.channel === 'sms' && deps.smsOtp ? 'sms' : 'whatsapp';
  const phoneHash = blindIndexOf('phone', input.phone);
  const contact = await contactRecordByPhone(clinic.id, input.phone);
  const isPatient = contact !== null && (await patientIdsForContact(clinic.id, String(contact._id))).length > 0;

  await OtpChallenge.updateMany({ clinicId: clinic.id, phoneHash, status: 'open' }, { $set: { status: 'replaced' } });
  const id = new Types.ObjectId();
  const code = String(randomInt(0, 10 ** OTP_RULES.digits)).padStart(OTP_RULES.digits, '0');
  // For a stranger's number the hash is of nothing anyone was sent: no code can ever match it.
  const codeHash = isPatient ? hashCode(runtime, id, code) : hashCode(runtime, id, randomBytes(16).toString('hex'));
  await OtpChallenge.create({
    _id: id,
    clinicId: clinic.id,
    phoneHash,
    codeHash,
    expiresAt: new Date(now.getTime() + OTP_RULES.ttlMs),
    channel,
  });

  if (isPatient) {
    const message: OtpMessage = {
      clinicId: clinic.id,
      phone: input.phone,
      code,
      language: input.language ?? contact.preferredLanguage,
    };
    // Off the answer's path, so a patient's answer takes no longer than a stranger's.
    const deliver = channel === 'sms' ? deps.smsOtp!(message) : sendOtpOnWhatsApp(runtime.config, message);
    deliver.catch((error: unknown) => log().warn({ err: error, challengeId: String(id) }, 'sign-in code not sent'));
  }
  return { sent: true, channel, expiresInSeconds: OTP_RULES.ttlMs / 1000 };
}

/** Counts a wrong try; the fifth kills the code. Returns the tries left. */
async function countWrongTry(challenge: OtpChallengeRecord): Promise<number> {
  const counted = await OtpChallenge.findOneAndUpdate(
    { _id: challenge._id, status: 'open', attempts: { $lt: OTP_RULES.maxWrongTries } },
    { $inc: { attempts: 1 } },
    { new: true },
  ).lean<OtpChallengeRecord>();
  if (!counted) return 0;
  if (counted.attempts >= OTP_RULES.maxWrongTries) {
    await OtpChallenge.updateOne({ _id: challenge._id, status: 'open' }, { $set: { status: 'exhausted' } });
    return 0;
  }
  return OTP_RULES.maxWrongTries - counted.attempts;
}

/**
 * Checks `code` against the number's open challenge and, if right, uses it up (one conditional
 * update: of two racing requests with the right code, one signs in) and starts a patient session.
 * Every failure is the same 401 `otp_invalid`.
 */
export async function verifyOtp(
  runtime: Runtime,
  input: { phone: string; code: string; ip: string; userAgent?: string },
  now = new Date(),
): Promise<OtpSignIn> {
  const clinic = await ensureDefaultClinic();
  await otpLimits(runtime).chargeVerify(clinic.id, input.phone, input.ip);
  const phoneHash = blindIndexOf('phone', input.phone);
  const challenge = await OtpChallenge.findOne({ clinicId: clinic.id, phoneHash, status: 'open' })
    .sort({ createdAt: -1 })
    .lean<OtpChallengeRecord>();
  if (!challenge || challenge.expiresAt.getTime() <= now.getTime()) throw invalidCode();
  if (!sameSecret(hashCode(runtime, challenge._id, input.code), challenge.codeHash))
    throw invalidCode(await countWrongTry(challenge));

  const used = await OtpChallenge.updateOne(
    {
      _id: challenge._id,
      status: 'open',
      attempts: { $lt: OTP_RULES.maxWrongTries },
      expiresAt: { $gt: now },
    },
    { $set: { status: 'used', usedAt: now } },
  );
  if (used.modifiedCount !== 1) throw invalidCode();
  const contact = await contactRecordByPhone(clinic.id, input.phone);
  const patientIds = contact ? await patientIdsForContact(clinic.id, String(contact._id)) : [];
  if (!contact || patientIds.length === 0) throw invalidCode();

  const store = new PatientSessionStore(runtime.redis, runtime.config);
  const { id, record } = await store.create({ clinicId: clinic.id, contactId: String(contact._id) }, now.getTime());
  await audit.record({
    actor: await contactActor(clinic.id, String(contact._id)),
    action: 'portal.signed_in',
    entity: { type: 'contact', id: contact._id },
    diff: [
      { field: 'channel', to: challenge.channel },
      { field: 'profiles', to: patientIds.length },
    ],
  });
  return { sessionId: id, record, patientIds };
}
