/**
 * Devices a staff member signs in from. The browser (or API client) holds a random device token
 * in the `cinic.did` cookie; only its HMAC is stored, so a database read cannot impersonate a device.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';

/** Where a device stands: sessions from it are usable only when approved. */
export const DEVICE_STATUSES = ['pending', 'approved', 'rejected'] as const;
/** One device status. */
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

const deviceSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    staffId: { type: mongoose.Schema.Types.ObjectId, ref: 'Staff', required: true },
    tokenHash: { type: String, required: true },
    /** A short summary of the user agent ("Chrome on Windows"), for the admin deciding. */
    label: { type: String, required: true, maxlength: 80 },
    status: { type: String, enum: DEVICE_STATUSES, required: true },
    /** Staff id of the admin who decided, or `system:first-admin` / `system:approval-off`. */
    decidedBy: { type: String },
    decidedAt: { type: Date },
    lastSeenAt: { type: Date },
  },
  { timestamps: true },
);

// Sign-in finds the device by (clinicId, staffId, tokenHash); unique so parallel first sign-ins create one.
deviceSchema.index({ clinicId: 1, staffId: 1, tokenHash: 1 }, { unique: true });
// The admin's list of devices waiting for a decision: (clinicId, status, createdAt).
deviceSchema.index({ clinicId: 1, status: 1, createdAt: -1 });

/** A device document as stored. */
export type DeviceDoc = InferSchemaType<typeof deviceSchema> & { _id: Types.ObjectId };

/** The Device model. */
export const Device = mongoose.model('Device', deviceSchema);
