/** /api/v1/price-items: the price list with SAC/HSN codes, prices and GST rate history. */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { actorOf, problemResponses as errors } from './billing-http.js';
import { idParams } from './billing.schemas.js';
import { createPriceItemBody, listPriceItemsQuery, rateBody, updatePriceItemBody } from './price-item.schemas.js';
import {
  addPriceItemRate,
  createPriceItem,
  getPriceItem,
  listPriceItems,
  updatePriceItem,
} from './price-item.service.js';

const tags = ['Price list'];
documentOperation({
  method: 'get',
  path: '/api/v1/price-items',
  summary: 'The price list with the rate in force today',
  tags,
  auth: 'staff',
  query: listPriceItemsQuery,
  responses: { 200: { description: 'Items' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/price-items',
  summary:
    'Add an item (consultation per doctor or speciality, procedure, pharmacy item) with SAC/HSN, price and first GST rate (accounts, admin)',
  tags,
  auth: 'staff',
  body: createPriceItemBody,
  responses: { 201: { description: 'Created' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/price-items/:id',
  summary: 'One item with its rate history',
  tags,
  auth: 'staff',
  params: idParams,
  responses: { 200: { description: 'Item' }, ...errors },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/price-items/:id',
  summary: 'Change name, price, unit or active state (issued invoices keep what they were issued with)',
  tags,
  auth: 'staff',
  params: idParams,
  body: updatePriceItemBody,
  responses: { 200: { description: 'Item' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/price-items/:id/rates',
  summary: 'Add a GST rate (or exemption) from a date; invoices use the rate in force on their date',
  tags,
  auth: 'staff',
  params: idParams,
  body: rateBody,
  responses: { 201: { description: 'Item with its rate history' }, ...errors },
});

/** The price list router, mounted at /api/v1/price-items. */
export function priceItemRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  const id = (req: Parameters<typeof parseParams>[1]) => parseParams(idParams, req).id;
  router.get(
    '/',
    authorize('read', 'price_list'),
    asyncHandler(async (req, res) => {
      const query = parseQuery(listPriceItemsQuery, req);
      res.json({
        items: await listPriceItems(actorOf(res), {
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.active ? { active: query.active === 'true' } : {}),
        }),
      });
    }),
  );
  router.post(
    '/',
    authorize('create', 'price_list'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await createPriceItem(actorOf(res), parseBody(createPriceItemBody, req)));
    }),
  );
  router.get(
    '/:id',
    authorize('read', 'price_list'),
    asyncHandler(async (req, res) => {
      res.json(await getPriceItem(actorOf(res), id(req)));
    }),
  );
  router.patch(
    '/:id',
    authorize('update', 'price_list'),
    asyncHandler(async (req, res) => {
      res.json(await updatePriceItem(actorOf(res), id(req), parseBody(updatePriceItemBody, req)));
    }),
  );
  router.post(
    '/:id/rates',
    authorize('update', 'price_list'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await addPriceItemRate(actorOf(res), id(req), parseBody(rateBody, req)));
    }),
  );
  return router;
}
