/**
 * Atomic named counters (daily token numbers, invoice series, patient codes): one
 * `findOneAndUpdate` with `$inc` and upsert, so concurrent callers get distinct consecutive values
 * without transactions.
 */
import mongoose from 'mongoose';

const counterSchema = new mongoose.Schema(
  {
    /** e.g. `token|<clinicId>|<doctorId>|2026-11-25` or `invoice|<clinicId>|INV|2026-27`. */
    key: { type: String, required: true },
    value: { type: Number, required: true, default: 0 },
  },
  { timestamps: true },
);

// Every increment finds its counter by key; unique so two first increments create one counter.
counterSchema.index({ key: 1 }, { unique: true });

const Counter = mongoose.model('Counter', counterSchema);

/** Returns the next value of counter `key` (1 for a new counter). */
export async function nextSequence(key: string): Promise<number> {
  const increment = () => Counter.findOneAndUpdate({ key }, { $inc: { value: 1 } }, { upsert: true, new: true }).lean();
  try {
    return (await increment())!.value;
  } catch (error) {
    // Two first increments raced on the upsert: the unique index let one create it; retry once.
    if ((error as { code?: number }).code !== 11000) throw error;
    return (await increment())!.value;
  }
}

/** The current value of counter `key` without changing it (0 when it does not exist). */
export async function peekSequence(key: string): Promise<number> {
  return (await Counter.findOne({ key }).lean())?.value ?? 0;
}
