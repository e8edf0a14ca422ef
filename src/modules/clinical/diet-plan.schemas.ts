/** Zod schemas for diet plans. Messages never echo values. */
import { z } from 'zod';
import { MEAL_TIMES } from './diet-plan.model.js';
import { clinicalText } from './visit.schemas.js';

const food = clinicalText(120).refine((text) => text.length > 0, 'a food item needs text');
const target = (label: string, min: number, max: number, integer = true) => {
  const base = z.number({ error: `${label} must be a number` });
  return (integer ? base.int({ error: `${label} must be a whole number` }) : base)
    .min(min, { error: `${label} must be at least ${min}` })
    .max(max, { error: `${label} must be at most ${max}` })
    .optional();
};

/** Daily targets; each optional. */
export const dailyTargetsSchema = z
  .object({
    kcal: target('energy (kcal)', 500, 6000),
    proteinG: target('protein (g)', 0, 400),
    carbsG: target('carbohydrates (g)', 0, 1000),
    fatG: target('fat (g)', 0, 400),
    fibreG: target('fibre (g)', 0, 150),
    waterL: target('water (litres)', 0, 10, false),
    sodiumMg: target('sodium (mg)', 0, 10_000),
  })
  .strict();

/** POST /visits/:visitId/diet-plans — issue the next version. */
export const issueDietPlanBody = z
  .object({
    goal: clinicalText(300).refine((text) => text.length > 0, 'say what the plan is for'),
    targets: dailyTargetsSchema.default({}),
    meals: z
      .array(
        z
          .object({ time: z.enum(MEAL_TIMES), items: z.array(food).min(1, 'a meal needs at least one item').max(20) })
          .strict(),
      )
      .max(MEAL_TIMES.length)
      .default([])
      .refine(
        (meals) => new Set(meals.map((meal) => meal.time)).size === meals.length,
        'each meal time may appear once',
      ),
    prefer: z.array(food).max(50).default([]),
    avoid: z.array(food).max(50).default([]),
    notes: clinicalText(2000)
      .optional()
      .transform((text) => (text ? text : undefined)),
    /** The version this one replaces (0 for the first): 409 if another was issued meanwhile. */
    supersedesVersion: z.number().int().min(0).optional(),
  })
  .strict();
/** A diet plan as the service takes it. */
export type IssueDietPlanInput = z.input<typeof issueDietPlanBody>;

/** :dietPlanId in the path. */
export const dietPlanParams = z.object({ dietPlanId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id') });
