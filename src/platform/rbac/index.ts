/** RBAC: the policy table, decisions and the route gate, from one import. */
export { ACTIONS, DISCOUNT_LIMITS, POLICY, RESOURCES } from './policy.js';
export type { Action, Grant, PolicyTable, Resource } from './policy.js';
export { approversOf, assertCan, can, decide } from './can.js';
export type { Decision, PolicyRecord } from './can.js';
export { authorize } from './authorize.js';
