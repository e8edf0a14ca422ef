/**
 * The list of domain modules. Each module registers its models and queues (`register`) and
 * mounts its routes (`mount`); main, workers and tests all go through here.
 */
import type { Express } from 'express';
import type { Runtime } from '../platform/runtime.js';
import { doctorViewModule } from '../doctor-view/index.js';
import { portalModule } from '../portal/index.js';
import { razorpaySandboxModule } from '../sandbox/razorpay/index.js';
import { smsSandboxModule } from '../sandbox/sms/index.js';
import { whatsappSandboxModule } from '../sandbox/whatsapp/index.js';
import { appointmentsModule } from './appointments/index.js';
import { authModule } from './auth/index.js';
import { automationModule } from './automation/index.js';
import { billingModule } from './billing/index.js';
import { clinicalModule } from './clinical/index.js';
import { clinicsModule } from './clinics/index.js';
import { conversationsModule } from './conversations/index.js';
import { doctorsModule } from './doctors/index.js';
import { ledgerModule } from './ledger/index.js';
import { messagingModule } from './messaging/index.js';
import { operationsModule } from './operations/index.js';
import { patientAuthModule } from './patient-auth/index.js';
import { patientsModule } from './patients/index.js';
import { privacyModule } from './privacy/index.js';
import { paymentsModule } from './payments/index.js';
import { reportingModule } from './reporting/index.js';
import { schedulingModule } from './scheduling/index.js';

/** What a domain module contributes to the runtime and the app. */
export interface DomainModule {
  name: string;
  register?: (runtime: Runtime) => void;
  mount?: (app: Express, runtime: Runtime) => void;
}

const modules: DomainModule[] = [
  clinicsModule,
  authModule,
  doctorsModule,
  patientsModule,
  patientAuthModule,
  privacyModule,
  schedulingModule,
  appointmentsModule,
  clinicalModule,
  ledgerModule,
  billingModule,
  paymentsModule,
  messagingModule,
  conversationsModule,
  reportingModule,
  automationModule,
  operationsModule,
  whatsappSandboxModule,
  razorpaySandboxModule,
  smsSandboxModule,
  doctorViewModule,
  portalModule,
];

/** Registers every module's models and queues (before collections and indexes are created). */
export function registerModules(runtime: Runtime): void {
  for (const module of modules) module.register?.(runtime);
}

/** Mounts every module's routes on the app. */
export function mountModuleRoutes(app: Express, runtime: Runtime): void {
  for (const module of modules) module.mount?.(app, runtime);
}
