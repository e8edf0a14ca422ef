/**
 * Panel actions that change something call ONE service function, as the signed-in staff member.
 * Every such action opens the ActionForm component (a short form or a confirmation) and posts;
 * a GET never changes anything. The policy decides who sees and may call each action
 * (`isAccessible`, also enforced on the server), and a service refusal comes back as a notice
 * in the staff member's words, never a stack trace.
 */
import type { ActionContext, ActionRequest, ActionResponse, CurrentAdmin, ParamsType, RecordJSON } from 'adminjs';
import type { Actor } from '../src/platform/actor.js';
import type { Action, Resource } from '../src/platform/rbac/index.js';
import { actorOf, allow } from './access.js';
import { panelMessage } from './notices.js';

/** One input of an action's form. */
export interface ActionField {
  name: string;
  label: string;
  type?: 'text' | 'number' | 'select' | 'date' | 'textarea' | 'checkbox';
  options?: { value: string; label: string }[];
  required?: boolean;
  help?: string;
}

/** What an action declares. */
export interface ServiceActionSpec {
  /** The policy gate: who may see and call it. */
  policy: [Resource, Action];
  /** Further grants the action needs, e.g. reading the resource it sits on. */
  requires?: [Resource, Action][];
  label: string;
  icon?: string;
  actionType?: 'record' | 'resource';
  /** One sentence shown above the form (what will happen). */
  intro?: string;
  fields?: ActionField[];
  submitLabel?: string;
  /** Hide the button where the record's state makes the action pointless (the server still decides). */
  showWhen?: (params: ParamsType, currentAdmin?: CurrentAdmin) => boolean;
  /** Calls the service; returns the success notice. */
  run: (actor: Actor, input: { recordId?: string; values: Record<string, string> }) => Promise<string>;
}

function valuesOf(payload: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((payload ?? {}) as Record<string, unknown>))
    if (value !== undefined && value !== null) values[key] = String(value).trim();
  return values;
}

/** An AdminJS action over a service call (see the file comment). */
export function serviceAction(spec: ServiceActionSpec) {
  const gates = [spec.policy, ...(spec.requires ?? [])].map(([resource, action]) => allow(resource, action));
  const isAccessible = (context: { currentAdmin?: CurrentAdmin }) => gates.every((gate) => gate(context));
  return {
    actionType: spec.actionType ?? 'record',
    icon: spec.icon ?? 'Zap',
    label: spec.label,
    component: 'ActionForm',
    isAccessible,
    isVisible: (context: ActionContext) =>
      isAccessible(context) &&
      (!spec.showWhen || !context.record || spec.showWhen(context.record.params, context.currentAdmin)),
    custom: {
      intro: spec.intro ?? '',
      fields: spec.fields ?? [],
      submitLabel: spec.submitLabel ?? spec.label,
    },
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const recordJson = (): RecordJSON | undefined => context.record?.toJSON(context.currentAdmin);
      if (request.method !== 'post') return { ...(context.record ? { record: recordJson() } : {}) };
      try {
        const message = await spec.run(actorOf(context.currentAdmin), {
          ...(context.record ? { recordId: String(context.record.id()) } : {}),
          values: valuesOf(request.payload),
        });
        const fresh = context.record ? await context.resource.findOne(String(context.record.id()), context) : null;
        return {
          ...(fresh ? { record: fresh.toJSON(context.currentAdmin) } : {}),
          notice: { message, type: 'success' },
        };
      } catch (error) {
        return {
          ...(context.record ? { record: recordJson() } : {}),
          notice: { message: panelMessage(error), type: 'error' },
        };
      }
    },
  };
}
