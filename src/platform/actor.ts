/**
 * Who is acting: a signed-in staff member, a patient (WhatsApp or portal), or the system itself
 * (workers, webhooks). Every service call that changes state takes an Actor; RBAC and audit read it.
 */

/** The six roles of the policy table. */
export const ROLES = ['patient', 'frontdesk', 'doctor', 'pharmacy', 'accounts', 'admin'] as const;
/** One of the six roles. */
export type Role = (typeof ROLES)[number];

/** A caller of a service. `system` actors are workers and verified webhooks. */
export interface Actor {
  type: 'staff' | 'patient' | 'system';
  /** Staff user id, patient id, or a system component name such as `worker:reminders`. */
  id: string;
  roles: readonly Role[];
  clinicId: string;
  /** Set for staff who are doctors: their Doctor profile id (record rules compare it). */
  doctorId?: string;
  /** Set for patient actors: the patient profiles they may act for (family on one number). */
  patientIds?: readonly string[];
}

/** An actor for background work, e.g. `systemActor(clinicId, 'worker:holds')`. */
export function systemActor(clinicId: string, component: string): Actor {
  return { type: 'system', id: component, roles: [], clinicId };
}
