import { describe, expect, it } from '@jest/globals';
import {
  appointmentLifecycleMermaid,
  appointmentTransitionsMarkdown,
  describeWho,
  machineEdges,
} from '../../flows/appointment.diagram.js';
import { APPOINTMENT_STATUSES, APPOINTMENT_TRANSITIONS, appointmentMachine } from '../../flows/appointment.machine.js';

describe('lifecycle documentation generated from the machine', () => {
  it('finds every rule as a machine edge and every machine edge as a rule', () => {
    const edges = machineEdges();
    expect(edges).toHaveLength(APPOINTMENT_TRANSITIONS.length);
    expect(new Set(edges)).toEqual(new Set(APPOINTMENT_TRANSITIONS));
  });

  it('defines exactly the lifecycle statuses as machine states, only completed final (a lapsed hold paid late is reinstated)', () => {
    expect(Object.keys(appointmentMachine.root.states).sort()).toEqual([...APPOINTMENT_STATUSES].sort());
    const finals = Object.entries(appointmentMachine.root.states).filter(([, node]) => node.type === 'final');
    expect(finals.map(([status]) => status)).toEqual(['completed']);
  });

  it('renders the mermaid diagram for the README', () => {
    expect(appointmentLifecycleMermaid()).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> requested',
        '  requested --> tentative : HOLD by the patient, frontdesk, admin, system — while prepayment is outstanding',
        '  requested --> confirmed : CONFIRM by the patient (once prepaid), frontdesk, admin, system (once prepaid)',
        '  requested --> cancelled : CANCEL by the patient, frontdesk, admin',
        '  tentative --> confirmed : CONFIRM by frontdesk, accounts, admin, system (once prepaid)',
        '  tentative --> cancelled : CANCEL by the patient, frontdesk, admin, system (once the hold lapses)',
        '  tentative --> cancelled : EXPIRE_HOLD by system — once the hold lapses',
        '  confirmed --> checked_in : CHECK_IN by the doctor, frontdesk, admin — on the appointment day',
        '  confirmed --> no_show : MARK_NO_SHOW by frontdesk (after the start time), admin (after the start time), system (after the grace period)',
        '  confirmed --> cancelled : CANCEL by the patient (until the cutoff), frontdesk, admin',
        '  checked_in --> in_consult : START_CONSULT by the doctor',
        '  in_consult --> completed : COMPLETE by the doctor',
        '  no_show --> confirmed : OVERRIDE_NO_SHOW by frontdesk, admin — on the appointment day',
        '  no_show --> checked_in : OVERRIDE_NO_SHOW by frontdesk, admin — on the appointment day',
        '  cancelled --> confirmed : REINSTATE by system — when a lapsed hold is paid before the start',
        '  completed --> [*]',
        '',
      ].join('\n'),
    );
  });

  it('keeps mermaid labels free of characters that end a statement or start a comment', () => {
    for (const line of appointmentLifecycleMermaid().split('\n').slice(1)) expect(line).not.toMatch(/[;#%{}]/);
  });

  it('renders a Markdown table with one row per edge', () => {
    const rows = appointmentTransitionsMarkdown().trim().split('\n');
    expect(rows).toHaveLength(2 + APPOINTMENT_TRANSITIONS.length);
    expect(rows[0]).toBe('| From | Event | To | Who may send it |');
    expect(rows).toContain('| confirmed | `CANCEL` | cancelled | the patient (until the cutoff), frontdesk, admin |');
  });

  it('describes a rule with no conditions as a bare list of senders', () => {
    expect(
      describeWho({
        from: 'checked_in',
        event: 'START_CONSULT',
        to: 'in_consult',
        allow: { doctor: 'always', admin: 'always' },
      }),
    ).toBe('the doctor, admin');
  });
});
