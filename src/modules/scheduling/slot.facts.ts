/** Slots offered per clinic-local day and doctor, for the utilisation KPI (every generated slot, whatever its state). */
import { Types } from 'mongoose';
import { SlotModel } from './slot.model.js';

/** One day's and doctor's offered slots. */
export interface SlotDayCount {
  localDate: string;
  doctorId: string;
  offered: number;
}

/** Offered slots per day and doctor within `from`–`to` (inclusive). */
export async function slotCountsOfDays(
  clinicId: string,
  from: string,
  to: string,
  doctorId?: string,
): Promise<SlotDayCount[]> {
  const match: Record<string, unknown> = {
    clinicId: new Types.ObjectId(clinicId),
    localDate: { $gte: from, $lte: to },
  };
  if (doctorId) match.doctorId = new Types.ObjectId(doctorId);
  // Served by { clinicId, doctorId, localDate, status }.
  const rows = await SlotModel.aggregate<{ _id: { localDate: string; doctorId: Types.ObjectId }; n: number }>([
    { $match: match },
    { $group: { _id: { localDate: '$localDate', doctorId: '$doctorId' }, n: { $sum: 1 } } },
  ]);
  return rows.map(({ _id, n }) => ({ localDate: _id.localDate, doctorId: String(_id.doctorId), offered: n }));
}
