/**
 * The pieces an invoice is built from, read from the other modules: the clinic as supplier and
 * its place of supply, the patient as recipient, and price items as draft lines.
 */
import type { Types } from 'mongoose';
import { unprocessable } from '../../platform/errors.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { gstStateName, isGstStateCode } from './gst-states.js';
import { supplyOf } from './gst.js';
import type { Supply } from './gst.js';
import type { DraftLine } from './invoice-compute.js';
import type { Supplier } from './invoice.model.js';
import type { PriceItemRecord } from './price-item.model.js';
import { rateOn } from './price-rates.js';

/** The clinic as printed on the invoice. */
export function supplierOf(clinic: ClinicView): Supplier {
  return {
    name: clinic.name,
    ...(clinic.gstin ? { gstin: clinic.gstin } : {}),
    ...(clinic.stateCode ? { stateCode: clinic.stateCode, stateName: gstStateName(clinic.stateCode) } : {}),
    address: { ...clinic.address },
    ...(clinic.phone ? { phone: clinic.phone } : {}),
  };
}

/** The clinic's GST state code, or 422: without it the place of supply is unknown. */
export function clinicStateCode(clinic: ClinicView): string {
  if (!clinic.stateCode)
    throw unprocessable("Set the clinic's GST state code (PATCH /api/v1/clinic) before billing", {
      reason: 'clinic_profile_incomplete',
      missing: ['stateCode'],
    });
  return clinic.stateCode;
}

/**
 * Place of supply: the patient's state when one is given, else the clinic's. (For health
 * services performed at the clinic IGST Act s. 12(4) makes it the clinic's state anyway; a
 * patient state belongs on goods sent or services supplied to another state.)
 */
export function placeOfSupplyOf(
  clinic: ClinicView,
  patientStateCode?: string,
): { placeOfSupply: { stateCode: string; stateName: string }; supply: Supply } {
  const clinicState = clinicStateCode(clinic);
  const stateCode = patientStateCode ?? clinicState;
  if (!isGstStateCode(stateCode))
    throw unprocessable(`${stateCode} is not a GST state code`, { field: 'patientStateCode' });
  return { placeOfSupply: { stateCode, stateName: gstStateName(stateCode) }, supply: supplyOf(clinicState, stateCode) };
}

/** A draft line for `quantity` of `item`, taxed as on `localDate`; 422 when no rate is in force then. */
export function lineFromItem(item: PriceItemRecord, quantity: number, lineId: string, localDate: string): DraftLine {
  const treatment = rateOn(item.rates, localDate);
  if (!treatment)
    throw unprocessable(`Price item ${item.code} has no GST rate in force on ${localDate}`, {
      reason: 'no_rate_in_force',
      priceItemId: String(item._id),
      date: localDate,
    });
  return {
    lineId,
    kind: item.kind,
    priceItemId: item._id as Types.ObjectId,
    description: item.name,
    taxCode: { scheme: item.taxCode.scheme, code: item.taxCode.code },
    unit: item.unit ?? 'each',
    quantity,
    unitPricePaise: item.unitPricePaise,
    exempt: treatment.exempt,
    rateBp: treatment.rateBp,
  };
}

/** Issued invoices must name the seller's GSTIN when they charge tax, and the GSTIN must match the state. */
export function assertSupplierCanIssue(clinic: ClinicView, chargesTax: boolean): void {
  const missing = [...(clinic.stateCode ? [] : ['stateCode']), ...(chargesTax && !clinic.gstin ? ['gstin'] : [])];
  if (missing.length > 0) {
    throw unprocessable(
      chargesTax
        ? 'A tax invoice needs the clinic GSTIN and state code'
        : "Set the clinic's GST state code before issuing",
      { reason: 'clinic_profile_incomplete', missing },
    );
  }
  if (clinic.gstin && clinic.stateCode && clinic.gstin.slice(0, 2) !== clinic.stateCode) {
    throw unprocessable('The clinic GSTIN does not belong to its state code', {
      reason: 'clinic_profile_inconsistent',
      gstinState: clinic.gstin.slice(0, 2),
      stateCode: clinic.stateCode,
    });
  }
}
