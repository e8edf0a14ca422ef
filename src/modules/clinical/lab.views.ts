/** What callers see of lab tests: the full test and result (clinical readers), or a receipt (front desk). */
import type { LabResult, LabTestRecord } from './lab.model.js';

/** A lab test with its result. */
export interface LabTestView {
  id: string;
  visitId: string;
  orderId: string;
  patientId: string;
  doctorId: string;
  name: string;
  code?: string;
  notes?: string;
  status: LabTestRecord['status'];
  orderedAt: Date;
  result?: LabResult;
  abnormal: boolean;
  resultedAt?: Date;
  resultedBy?: { staffId: string; roles: string[] };
  /** How many earlier results were replaced by corrections. */
  corrections: number;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  /** Send it back when entering or correcting the result. */
  version: number;
}

/** A test awaiting its result, as front desk sees it (no values). */
export interface PendingLabTest {
  id: string;
  visitId: string;
  patientId: string;
  name: string;
  code?: string;
  orderedAt: Date;
  version: number;
}

/** What front desk gets back after entering a result: that it was recorded, not what it means. */
export interface LabResultReceipt {
  id: string;
  status: LabTestRecord['status'];
  resultedAt?: Date;
  version: number;
}

/** Maps a stored test to its full view. */
export function toLabTestView(record: LabTestRecord): LabTestView {
  return {
    id: String(record._id),
    visitId: String(record.visitId),
    orderId: String(record.orderId),
    patientId: String(record.patientId),
    doctorId: String(record.doctorId),
    name: record.test.name,
    ...(record.test.code ? { code: record.test.code } : {}),
    ...(record.test.notes ? { notes: record.test.notes } : {}),
    status: record.status,
    orderedAt: record.orderedAt,
    ...(record.result ? { result: record.result } : {}),
    abnormal: Boolean(record.abnormal),
    ...(record.resultedAt ? { resultedAt: record.resultedAt } : {}),
    ...(record.resultedBy?.staffId
      ? { resultedBy: { staffId: record.resultedBy.staffId, roles: [...(record.resultedBy.roles ?? [])] } }
      : {}),
    corrections: record.corrections?.length ?? 0,
    ...(record.acknowledgedAt
      ? {
          acknowledgedAt: record.acknowledgedAt,
          ...(record.acknowledgedBy ? { acknowledgedBy: record.acknowledgedBy } : {}),
        }
      : {}),
    version: record.version ?? 0,
  };
}

/** Maps a stored test to the pending view. */
export function toPendingLabTest(record: LabTestRecord): PendingLabTest {
  return {
    id: String(record._id),
    visitId: String(record.visitId),
    patientId: String(record.patientId),
    name: record.test.name,
    ...(record.test.code ? { code: record.test.code } : {}),
    orderedAt: record.orderedAt,
    version: record.version ?? 0,
  };
}

/** Maps a stored test to the receipt view. */
export function toLabResultReceipt(record: LabTestRecord): LabResultReceipt {
  return {
    id: String(record._id),
    status: record.status,
    ...(record.resultedAt ? { resultedAt: record.resultedAt } : {}),
    version: record.version ?? 0,
  };
}
