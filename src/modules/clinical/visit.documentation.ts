/**
 * Whether signed visits are completely documented (chief complaint, assessment and plan present),
 * for the clinical-completion KPI. The note is opened in memory only to test presence: no text
 * leaves this function, so the figure is not a disclosure and is not audited as one.
 */
import { Types } from 'mongoose';
import { Visit } from './visit.model.js';

interface DocumentationRow {
  appointmentId: Types.ObjectId;
  status: string;
  chiefComplaint?: string | null;
  soap?: { assessment?: string | null; plan?: string | null };
}

const present = (text: string | null | undefined): boolean => typeof text === 'string' && text.trim().length > 0;

/** The ids (of `appointmentIds`) whose visit is signed with complaint, assessment and plan written. */
export async function completelyDocumentedAppointments(
  clinicId: string,
  appointmentIds: readonly string[],
): Promise<Set<string>> {
  if (appointmentIds.length === 0) return new Set();
  // Served by the unique { clinicId, appointmentId } index.
  const rows = await Visit.find({
    clinicId: new Types.ObjectId(clinicId),
    appointmentId: { $in: appointmentIds.map((id) => new Types.ObjectId(id)) },
    status: 'signed',
  })
    .select('appointmentId status chiefComplaint soap.assessment soap.plan')
    .lean<DocumentationRow[]>();
  const complete = new Set<string>();
  for (const row of rows) {
    if (present(row.chiefComplaint) && present(row.soap?.assessment) && present(row.soap?.plan))
      complete.add(String(row.appointmentId));
  }
  return complete;
}
