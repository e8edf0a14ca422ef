/**
 * Documentation generated from the machine itself, so the README cannot drift from the code:
 * the edges come from the machine's state nodes, who may take them from the rule table, and a
 * mismatch between the two throws instead of drawing a wrong picture.
 */
import { appointmentMachine } from './appointment.machine.js';
import { APPOINTMENT_TRANSITIONS, CONDITIONS, PARTIES } from './appointment.rules.js';
import type { Party, TransitionRule } from './appointment.rules.js';
import type { AppointmentStatus } from './appointment.types.js';

// "the patient" and "the doctor" because only the appointment's own ones qualify.
const PARTY_LABELS: Record<Party, string> = {
  patient: 'the patient',
  doctor: 'the doctor',
  frontdesk: 'frontdesk',
  accounts: 'accounts',
  admin: 'admin',
  system: 'system',
};

/** Who may take an edge, e.g. "the patient (until the cutoff), frontdesk, admin"; a condition all share goes last. */
export function describeWho(rule: TransitionRule): string {
  const entries = PARTIES.flatMap((party) => {
    const condition = rule.allow[party];
    return condition === undefined ? [] : [{ party: PARTY_LABELS[party], describe: CONDITIONS[condition].describe }];
  });
  const conditions = new Set(entries.map((entry) => entry.describe));
  const [only] = [...conditions];
  if (conditions.size === 1 && only !== undefined) {
    const parties = entries.map((entry) => entry.party).join(', ');
    return only === '' ? parties : `${parties} — ${only}`;
  }
  return entries
    .map((entry) => (entry.describe === '' ? entry.party : `${entry.party} (${entry.describe})`))
    .join(', ');
}

/** The machine's edges in definition order, each matched to its rule; throws if either side lacks the other. */
export function machineEdges(): TransitionRule[] {
  const edges: TransitionRule[] = [];
  for (const [from, node] of Object.entries(appointmentMachine.root.states)) {
    for (const [eventType, definitions] of node.transitions) {
      for (const definition of definitions) {
        const to = definition.target?.[0]?.key;
        const rule = APPOINTMENT_TRANSITIONS.find(
          (candidate) => candidate.from === from && candidate.event === eventType && candidate.to === to,
        );
        if (!rule)
          throw new Error(`Machine edge ${from} --${eventType}--> ${to} has no rule in APPOINTMENT_TRANSITIONS`);
        edges.push(rule);
      }
    }
  }
  const missing = APPOINTMENT_TRANSITIONS.filter((rule) => !edges.includes(rule));
  if (missing.length > 0) {
    const names = missing.map((rule) => `${rule.from} --${rule.event}--> ${rule.to}`).join(', ');
    throw new Error(`Rules without a machine edge: ${names}`);
  }
  return edges;
}

/** Statuses nothing leaves (completed, cancelled). */
function finalStatuses(): AppointmentStatus[] {
  return Object.entries(appointmentMachine.root.states)
    .filter(([, node]) => node.type === 'final')
    .map(([status]) => status as AppointmentStatus);
}

/** A mermaid `stateDiagram-v2` of the lifecycle, each edge labelled with its event and who may send it. */
export function appointmentLifecycleMermaid(): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${appointmentMachine.config.initial as string}`];
  for (const rule of machineEdges())
    lines.push(`  ${rule.from} --> ${rule.to} : ${rule.event} by ${describeWho(rule)}`);
  for (const status of finalStatuses()) lines.push(`  ${status} --> [*]`);
  return `${lines.join('\n')}\n`;
}

/** The same edges as a Markdown table (from, event, to, who) for the README. */
export function appointmentTransitionsMarkdown(): string {
  const lines = ['| From | Event | To | Who may send it |', '| --- | --- | --- | --- |'];
  for (const rule of machineEdges())
    lines.push(`| ${rule.from} | \`${rule.event}\` | ${rule.to} | ${describeWho(rule)} |`);
  return `${lines.join('\n')}\n`;
}
