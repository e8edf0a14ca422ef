/**
 * Vitals: what a nurse or doctor measures, validated against ranges a living patient (child or
 * adult) can plausibly show, so a slipped digit ("370" for 37.0 °C) is caught at entry with a
 * message that says what is wrong. BMI is computed here, never typed.
 */
import { z } from 'zod';

/** Vitals as entered. */
export interface VitalsInput {
  heightCm?: number;
  weightKg?: number;
  temperatureC?: number;
  pulseBpm?: number;
  bpSystolic?: number;
  bpDiastolic?: number;
  spo2Percent?: number;
  respiratoryRate?: number;
}

/** Vitals as stored and shown: the input plus the computed BMI. */
export interface Vitals extends VitalsInput {
  bmi?: number;
}

function measure(label: string, unit: string, min: number, max: number, integer = false) {
  const base = z.number({ error: `${label} must be a number` });
  const checked = (integer ? base.int({ error: `${label} must be a whole number` }) : base)
    .min(min, { error: `${label} must be at least ${min}${unit}` })
    .max(max, { error: `${label} must be at most ${max}${unit}` });
  return checked.optional();
}

/** Body temperature in °C; a Fahrenheit reading gets its own hint instead of a bare range error. */
const temperatureC = z
  .number({ error: 'temperature must be a number' })
  .superRefine((value, ctx) => {
    if (value >= 86 && value <= 113)
      ctx.addIssue({ code: 'custom', message: 'temperature looks like °F; enter it in °C (98.6 °F is 37 °C)' });
    else if (value < 30 || value > 45)
      ctx.addIssue({ code: 'custom', message: 'temperature must be between 30 and 45 °C' });
  })
  .optional();

/** The vitals a request may carry (strict: BMI is computed, not accepted). */
export const vitalsSchema = z
  .object({
    heightCm: measure('height', ' cm', 30, 250),
    weightKg: measure('weight', ' kg', 0.5, 350),
    temperatureC,
    pulseBpm: measure('pulse', ' beats/min', 20, 250, true),
    bpSystolic: measure('systolic blood pressure', ' mmHg', 50, 300, true),
    bpDiastolic: measure('diastolic blood pressure', ' mmHg', 20, 200, true),
    spo2Percent: measure('SpO2', '%', 50, 100, true),
    respiratoryRate: measure('respiratory rate', ' breaths/min', 4, 80, true),
  })
  .strict()
  .refine((vitals) => (vitals.bpSystolic === undefined) === (vitals.bpDiastolic === undefined), {
    message: 'blood pressure needs both systolic and diastolic values',
    path: ['bpDiastolic'],
  })
  .refine(
    (vitals) =>
      vitals.bpSystolic === undefined || vitals.bpDiastolic === undefined || vitals.bpSystolic > vitals.bpDiastolic,
    {
      message: 'diastolic blood pressure must be lower than systolic',
      path: ['bpDiastolic'],
    },
  );

/** Body-mass index to one decimal, when both height and weight are known. */
export function bmiOf(heightCm: number | undefined, weightKg: number | undefined): number | undefined {
  if (!heightCm || !weightKg) return undefined;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}

/** The stored form of validated vitals: only the measured keys, in a fixed order, plus BMI. */
export function normaliseVitals(input: VitalsInput): Vitals {
  const vitals: Vitals = {};
  for (const key of [
    'heightCm',
    'weightKg',
    'temperatureC',
    'pulseBpm',
    'bpSystolic',
    'bpDiastolic',
    'spo2Percent',
    'respiratoryRate',
  ] as const) {
    if (input[key] !== undefined) vitals[key] = input[key];
  }
  const bmi = bmiOf(vitals.heightCm, vitals.weightKg);
  if (bmi !== undefined) vitals.bmi = bmi;
  return vitals;
}
