/**
 * A diet plan version for one visit: goal, daily targets, meals by time of day, foods to prefer
 * and avoid, notes. Versioned and immutable like prescriptions (issued-series.ts); the whole plan
 * is encrypted as one value.
 */
import mongoose from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { issuedSchemaFields, lockIssuedSeries } from './issued-series.js';
import type { IssuedRecord } from './issued-series.js';

/** When a meal is eaten, in the order of the day. */
export const MEAL_TIMES = [
  'early_morning',
  'breakfast',
  'mid_morning',
  'lunch',
  'evening',
  'dinner',
  'bedtime',
] as const;
/** One meal time. */
export type MealTime = (typeof MEAL_TIMES)[number];

/** How the doctor's screen and the printed plan name each meal time. */
export const MEAL_LABELS: Record<MealTime, string> = {
  early_morning: 'Early morning',
  breakfast: 'Breakfast',
  mid_morning: 'Mid-morning',
  lunch: 'Lunch',
  evening: 'Evening',
  dinner: 'Dinner',
  bedtime: 'Bedtime',
};

/** Daily targets; each optional. */
export interface DailyTargets {
  kcal?: number;
  proteinG?: number;
  carbsG?: number;
  fatG?: number;
  fibreG?: number;
  waterL?: number;
  sodiumMg?: number;
}

/** The plan's content. */
export interface DietPlanContent {
  goal: string;
  targets: DailyTargets;
  meals: { time: MealTime; items: string[] }[];
  prefer: string[];
  avoid: string[];
  notes?: string;
}

/** A stored diet plan version, plan opened. */
export interface DietPlanRecord extends IssuedRecord {
  plan: DietPlanContent;
}

const dietPlanSchema = new mongoose.Schema(
  {
    ...issuedSchemaFields(),
    /** DietPlanContent, encrypted. */
    plan: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'diet_plans' },
);

encryptedFields(dietPlanSchema, { scope: 'diet_plan', paths: ['plan'] });
lockIssuedSeries(dietPlanSchema, 'diet plan');

/** The DietPlan model. */
export const DietPlan = mongoose.model('DietPlan', dietPlanSchema);
