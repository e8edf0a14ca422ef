/**
 * The one rule from outside the lifecycle that completion must obey: clinical records require a
 * signed visit note before a consultation is completed (and billed). The clinical module installs
 * the check, so appointments need not import clinical, and every path to COMPLETE — the consult
 * API, the generic transition route, the staff panel — goes through it.
 */

type CompletionCheck = (clinicId: string, appointmentId: string) => Promise<void>;

let check: CompletionCheck | undefined;

/** Installs the check run before an appointment may move to completed. */
export function setCompletionCheck(next: CompletionCheck | undefined): void {
  check = next;
}

/** Throws (e.g. 422 note_not_signed) when the appointment may not be completed yet. */
export async function assertMayComplete(clinicId: string, appointmentId: string): Promise<void> {
  if (check) await check(clinicId, appointmentId);
}
