/**
 * The AdminJS instance: branded with the clinic's name, the Today board as its dashboard, the
 * hand-off inbox page, and every resource from `resources/`. Building it needs no database (the
 * bundle CLI builds one to compute the components bundle); `runtime` is used by actions only.
 */
import AdminJS from 'adminjs';
import type { CurrentAdmin } from 'adminjs';
import { Database, Resource } from '@adminjs/mongoose';
import { listHandedOff } from '../src/modules/conversations/index.js';
import type { Runtime } from '../src/platform/runtime.js';
import { actorOf } from './access.js';
import type { PanelAdmin } from './access.js';
import { panelComponentLoader } from './components/registry.js';
import { todayBoard } from './dashboard/today.service.js';
import { appointmentsResource } from './resources/appointments.resource.js';
import {
  creditNotesResource,
  invoicesResource,
  paymentsResource,
  priceListResource,
  refundsResource,
} from './resources/billing.resources.js';
import {
  auditResource,
  consentsResource,
  conversationsResource,
  devicesResource,
  doctorsResource,
  outboundResource,
  slotsResource,
  staffResource,
} from './resources/clinic.resources.js';
import { patientsResource } from './resources/patients.resource.js';

AdminJS.registerAdapter({ Database, Resource });

/** Builds the panel; `runtime` is read when an action needs it (never at build time). */
export function buildPanel(runtime?: Runtime): AdminJS {
  const runtimeOf = () => {
    if (!runtime) throw new Error('The panel was built without a runtime');
    return runtime;
  };
  return new AdminJS({
    rootPath: '/admin',
    loginPath: '/admin/login',
    logoutPath: '/admin/logout',
    componentLoader: panelComponentLoader(),
    branding: (admin?: CurrentAdmin) => ({
      companyName: (admin as PanelAdmin | undefined)?.clinicName ?? 'CINIC',
      logo: false,
      withMadeWithLove: false,
      theme: {
        colors: {
          primary100: '#0b7a75',
          primary80: '#2a8f8a',
          primary60: '#4fa5a0',
          primary40: '#86c4c0',
          primary20: '#d5ecea',
        },
      },
    }),
    // The Today board is the landing page; its handler is the board's data (polled by the component).
    dashboard: {
      component: 'TodayBoard',
      handler: async (_request, _response, context) => todayBoard(actorOf(context.currentAdmin)),
    },
    pages: {
      inbox: {
        component: 'HandoffInbox',
        icon: 'MessageCircle',
        handler: async (_request, _response, context) => {
          const chats = await listHandedOff(actorOf(context.currentAdmin));
          return {
            chats: [...chats]
              .sort((a, b) => String(b.handedOffAt ?? '').localeCompare(String(a.handedOffAt ?? '')))
              .map((chat) => ({
                id: chat.id,
                phoneMasked: chat.phoneMasked,
                since: chat.handedOffAt ? new Date(chat.handedOffAt).toISOString().slice(11, 16) + ' UTC' : undefined,
                reason: chat.handoffReason,
              })),
          };
        },
      },
    },
    resources: [
      patientsResource(),
      consentsResource(),
      appointmentsResource(),
      doctorsResource(),
      slotsResource(),
      invoicesResource(),
      paymentsResource(),
      refundsResource(),
      creditNotesResource(),
      priceListResource(),
      conversationsResource(),
      outboundResource(),
      staffResource(runtimeOf),
      devicesResource(),
      auditResource(),
    ],
    locale: {
      language: 'en',
      translations: {
        en: {
          labels: {
            patients: 'Patients',
            appointments: 'Appointments',
            invoices: 'Invoices',
            outbound_messages: 'Outbound messages',
            audit_events: 'Audit trail',
            credit_notes: 'Credit notes',
            price_list: 'Price list',
          },
          pages: { inbox: 'Hand-off inbox' },
        },
      },
    },
    settings: { defaultPerPage: 20 },
  });
}
