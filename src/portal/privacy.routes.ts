/**
 * /portal/privacy — the patient's consents (withdraw in one tap; renew under a changed notice)
 * and their rights under the DPDP Act: a copy of their data, a correction, erasure, a grievance,
 * a nominee — each filed as a request with an acknowledgement number, a deadline and a status
 * they can follow here; a finished access request offers its JSON and PDF.
 */
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { requirePatient } from '../modules/patient-auth/index.js';
import { listConsents, recordConsent, withdrawConsent } from '../modules/patients/index.js';
import {
  CURRENT_NOTICE_VERSION,
  enqueueExport,
  exportFile,
  fileRightsRequest,
  listPatientRequests,
  loadRequest,
} from '../modules/privacy/index.js';
import type { RightsRequestView } from '../modules/privacy/index.js';
import { notFound } from '../platform/errors.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import { html } from '../platform/http/html.js';
import type { Runtime } from '../platform/runtime.js';
import { consentsSection } from './consents.section.js';
import { notAllowed, portalContext, renderPage } from './context.js';
import type { PortalContext } from './context.js';
import { formatDay } from './format.js';
import { csrfField } from './layout.js';
import { asPatient, isRefusal, readAsPatient } from './portal-errors.js';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const requestForm = z.object({
  kind: z.enum(['access', 'correction', 'erasure', 'grievance', 'nomination']),
  text: z.preprocess(blank, z.string().trim().max(2000).optional()),
  nomineeName: z.preprocess(blank, z.string().trim().max(120).optional()),
  nomineePhone: z.preprocess(blank, z.string().trim().max(20).optional()),
  nomineeRelation: z.preprocess(blank, z.string().trim().max(40).optional()),
});

const RIGHTS = {
  en: {
    access: ['A copy of my data', 'Everything we hold about you, as a file and a readable PDF.'],
    correction: [
      'Correct my data',
      'Tell us what is wrong and what it should be. Staff check and reply with a reason.',
    ],
    erasure: [
      'Delete my data',
      'We delete what the law lets us. Medical and tax records must be kept for set periods; we list what stays and why.',
    ],
    grievance: ['Raise a grievance', 'Tell us what went wrong. You get a number and a date by which we answer.'],
    nomination: ['Nominate someone', 'A person who may act for you if you cannot (death or incapacity).'],
    details: 'Details',
    nomineeName: 'Nominee name',
    nomineePhone: 'Nominee phone',
    nomineeRelation: 'Relation to you',
    submit: 'Send request',
    yourRequests: 'Your requests',
    ack: 'Number',
    due: 'Answer due by',
    reason: 'Reason',
    downloadJson: 'Download data (JSON)',
    downloadPdf: 'Download summary (PDF)',
    kept: 'Kept by law',
    statuses: { received: 'Received', in_progress: 'In progress', completed: 'Done', declined: 'Declined' },
  },
  hi: {
    access: ['मेरे डेटा की कॉपी', 'हमारे पास आपके बारे में जो कुछ है, फ़ाइल और पढ़ने लायक PDF में।'],
    correction: ['मेरा डेटा सुधारें', 'बताएँ क्या गलत है और क्या होना चाहिए। स्टाफ जाँचकर कारण सहित जवाब देगा।'],
    erasure: [
      'मेरा डेटा मिटाएँ',
      'कानून जितना अनुमति देता है उतना हम मिटा देंगे। मेडिकल और टैक्स रिकॉर्ड तय समय तक रखने होते हैं; क्या रहेगा और क्यों, हम बताएँगे।',
    ],
    grievance: ['शिकायत दर्ज करें', 'बताएँ क्या गलत हुआ। आपको एक नंबर और जवाब की तारीख मिलेगी।'],
    nomination: ['किसी को नामित करें', 'वह व्यक्ति जो आपकी ओर से काम कर सके (मृत्यु या असमर्थता में)।'],
    details: 'विवरण',
    nomineeName: 'नामित व्यक्ति का नाम',
    nomineePhone: 'नामित व्यक्ति का फ़ोन',
    nomineeRelation: 'आपसे रिश्ता',
    submit: 'अनुरोध भेजें',
    yourRequests: 'आपके अनुरोध',
    ack: 'नंबर',
    due: 'जवाब की अंतिम तारीख',
    reason: 'कारण',
    downloadJson: 'डेटा डाउनलोड करें (JSON)',
    downloadPdf: 'सारांश डाउनलोड करें (PDF)',
    kept: 'कानून के अनुसार रखा गया',
    statuses: { received: 'मिला', in_progress: 'जारी', completed: 'पूरा', declined: 'अस्वीकार' },
  },
} as const;

function requestItem(ctx: PortalContext, request: RightsRequestView) {
  const r = RIGHTS[ctx.lang];
  return html`<li class="card" data-request="${request.id}">
    <div class="row"><strong>${r[request.kind][0]}</strong><span class="tag">${r.statuses[request.status]}</span></div>
    <p class="muted">${r.ack}: ${request.ackNumber} · ${r.due}: ${formatDay(request.dueAt, ctx.lang)}</p>
    ${request.decision?.reason ? html`<p>${r.reason}: ${request.decision.reason}</p>` : ''}
    ${
      request.exportReady
        ? html`<p>
          <a href="/portal/privacy/requests/${request.id}/export.json" download>${r.downloadJson}</a><br /><a
            href="/portal/privacy/requests/${request.id}/export.pdf"
            download
            >${r.downloadPdf}</a
          >
        </p>`
        : ''
    }
    ${
      request.erasure && request.erasure.retained.length > 0
        ? html`<details>
          <summary>${r.kept}</summary>
          <ul>
            ${request.erasure.retained.map((item) => html`<li>${item.label} (${item.count}): ${item.rule}</li>`)}
          </ul>
        </details>`
        : ''
    }
  </li>`;
}

function rightsForms(ctx: PortalContext) {
  const r = RIGHTS[ctx.lang];
  const form = (kind: keyof typeof RIGHTS.en & ('access' | 'correction' | 'erasure' | 'grievance' | 'nomination')) => {
    const [title, text] = r[kind];
    const needsText = kind === 'correction' || kind === 'grievance';
    return html`<form method="post" action="/portal/privacy/requests" class="card" aria-labelledby="right-${kind}">
      ${csrfField(ctx.csrf)}<input type="hidden" name="kind" value="${kind}" />
      <h3 id="right-${kind}">${title}</h3>
      <p class="muted">${text}</p>
      ${
        needsText
          ? html`<label for="text-${kind}">${r.details}</label>
            <textarea id="text-${kind}" name="text" rows="3" required></textarea>`
          : ''
      }
      ${
        kind === 'nomination'
          ? html`<label for="nominee-name">${r.nomineeName}</label
            ><input id="nominee-name" name="nomineeName" required /> <label for="nominee-phone">${r.nomineePhone}</label
            ><input id="nominee-phone" name="nomineePhone" type="tel" required />
            <label for="nominee-relation">${r.nomineeRelation}</label
            ><input id="nominee-relation" name="nomineeRelation" required />`
          : ''
      }
      <button type="submit" class="${kind === 'erasure' ? 'danger' : ''}">${r.submit}</button>
    </form>`;
  };
  return html`${(['access', 'correction', 'erasure', 'grievance', 'nomination'] as const).map(form)}`;
}

async function privacyPage(ctx: PortalContext, req: Request, error?: string) {
  const w = ctx.words;
  const [consents, requests] = await Promise.all([
    listConsents(ctx.session.actor, ctx.patientId),
    listPatientRequests(ctx.session.actor, ctx.patientId),
  ]);
  const r = RIGHTS[ctx.lang];
  const body = html`<h1>${w.privacy}</h1>
    ${consentsSection(ctx, consents, CURRENT_NOTICE_VERSION)}
    <h2>${r.yourRequests}</h2>
    ${
      requests.length === 0
        ? html`<p class="muted">${w.none}</p>`
        : html`<ul class="plain">
          ${requests.map((request) => requestItem(ctx, request))}
        </ul>`
    }
    <h2>${w.rights}</h2>
    ${rightsForms(ctx)}`;
  return renderPage(ctx, req, 'privacy', w.privacy, body, error ? { tone: 'error', text: error } : undefined);
}

/** The privacy page, consent withdrawal and renewal, rights requests and export downloads. */
export function privacyRoutes(runtime: Runtime): Router {
  const router = Router();
  const signedIn = requirePatient(runtime, { redirectTo: '/portal' });

  router.get(
    '/portal/privacy',
    signedIn,
    asyncHandler(async (req, res) => {
      res.type('html').send(await privacyPage(await portalContext(runtime, res), req));
    }),
  );

  router.post(
    '/portal/consents/:id/withdraw',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { id } = idParams.parse(req.params);
      const result = await asPatient(() =>
        withdrawConsent(ctx.session.actor, ctx.patientId, id, { channel: 'portal' }),
      );
      if (isRefusal(result))
        return res
          .status(409)
          .type('html')
          .send(await privacyPage(ctx, req, notAllowed(ctx.words, result.refused)));
      res.redirect(303, '/portal/privacy?n=withdrawn');
    }),
  );

  router.post(
    '/portal/consents/renew',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const stale = (await listConsents(ctx.session.actor, ctx.patientId)).filter(
        (consent) => consent.status === 'granted' && consent.noticeVersion !== CURRENT_NOTICE_VERSION,
      );
      for (const consent of stale) {
        await recordConsent(ctx.session.actor, ctx.patientId, {
          purpose: consent.purpose,
          noticeVersion: CURRENT_NOTICE_VERSION,
          givenBy: consent.givenBy,
          ...(consent.guardianContactId ? { guardianContactId: consent.guardianContactId } : {}),
          channel: 'portal',
        });
      }
      res.redirect(303, '/portal/privacy?n=saved');
    }),
  );

  router.post(
    '/portal/privacy/requests',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const parsed = requestForm.safeParse(req.body);
      if (!parsed.success)
        return res
          .status(400)
          .type('html')
          .send(await privacyPage(ctx, req, ctx.words.error));
      const form = parsed.data;
      const nominee =
        form.nomineeName && form.nomineePhone
          ? { name: form.nomineeName, phone: form.nomineePhone, relation: form.nomineeRelation ?? '-' }
          : undefined;
      const result = await asPatient(() =>
        fileRightsRequest(ctx.session.actor, ctx.patientId, {
          kind: form.kind,
          channel: 'portal',
          details: { ...(form.text ? { text: form.text } : {}), ...(nominee ? { nominee } : {}) },
        }),
      );
      if (isRefusal(result))
        return res
          .status(422)
          .type('html')
          .send(await privacyPage(ctx, req, notAllowed(ctx.words, result.refused)));
      if (result.created && form.kind === 'access') await enqueueExport(ctx.session.record.clinicId, result.request.id);
      res.redirect(303, '/portal/privacy?n=requestFiled');
    }),
  );

  router.get(
    '/portal/privacy/requests/:id/export.:format(json|pdf)',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { id } = idParams.parse({ id: req.params.id });
      const format = req.params.format === 'json' ? 'json' : 'pdf';
      const doc = await readAsPatient(() => loadRequest(ctx.session.actor, id));
      const body = await exportFile(doc, format);
      if (!body) throw notFound('Export');
      res
        .type(format === 'json' ? 'application/json' : 'application/pdf')
        .set('content-disposition', `attachment; filename="my-data-${doc.ackNumber}.${format}"`)
        .send(body);
    }),
  );
  return router;
}
