/** The author snapshot stored on signed and issued clinical records (name and registration as printed). */
import mongoose from 'mongoose';

/** Who signed or wrote something, as printed on the record (a snapshot, not a reference). */
export interface ClinicalAuthor {
  staffId: string;
  doctorId: string;
  name: string;
  registrationNumber?: string;
  qualifications?: string;
}

/** The subdocument schema of a ClinicalAuthor. */
export const authorSchema = new mongoose.Schema(
  {
    staffId: { type: String, required: true },
    doctorId: { type: String, required: true },
    name: { type: String, required: true },
    registrationNumber: { type: String },
    qualifications: { type: String },
  },
  { _id: false },
);
