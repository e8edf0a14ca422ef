/** Request bodies of the patient sign-in routes (API and portal forms share them). */
import { z } from 'zod';
import { phoneNumber } from '../patients/index.js';

/** POST /api/v1/auth/otp/request */
export const otpRequestBody = z.object({
  phone: phoneNumber,
  channel: z.enum(['whatsapp', 'sms']).optional(),
  language: z.enum(['en', 'hi']).optional(),
});

/** POST /api/v1/auth/otp/verify */
export const otpVerifyBody = z.object({
  phone: phoneNumber,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code'),
});
