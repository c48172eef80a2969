import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { queryLiteral } from './formats.js';
import { createAradjustment, type ArAdjustmentInput } from './functions/create-aradjustment.js';
import { applyArCredit as applyArCreditFunction, type ArCreditApplicationInput } from './functions/apply-ar-credit.js';
import { createArpayment, type ArPaymentInput } from './functions/create-arpayment.js';
import { reverseArpayment } from './functions/reverse-arpayment.js';
import { collectByQuery } from './paging.js';
import { fieldText } from './response-parser.js';
import type { BusinessDate } from './formats.js';

/** A received payment, by its RECORDNO. */
export interface ArPaymentResult {
  readonly paymentKey: string;
  readonly created: boolean;
}

/**
 * Records a cash receipt exactly once. The reference id (the storefront's payment id) is the
 * business key that resolves an "already recorded" replay.
 */
export async function createArPayment(
  client: IntacctClient,
  input: ArPaymentInput & { readonly referenceId: string },
  controlId: string,
): Promise<ArPaymentResult> {
  try {
    const result = await client.executeOne({ controlId, body: createArpayment(input) }, { uniqueId: true });
    return { paymentKey: result.key ?? '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const records = await collectByQuery(client, {
      object: 'ARPYMT',
      query: `CUSTOMERID = ${queryLiteral(input.customerId)} AND DOCNUMBER = ${queryLiteral(input.referenceId)}`,
      fields: ['RECORDNO'],
      pageSize: 10,
      controlIdPrefix: 'arpymt-by-reference',
    });
    const key = records[0] === undefined ? '' : fieldText(records[0], 'RECORDNO');
    if (!key) throw recordedButMissing(controlId, 'create_arpayment', `no payment ${input.referenceId} exists`, error);
    return { paymentKey: key, created: false };
  }
}

/** Reverses a payment (compensation). */
export async function reverseArPayment(
  client: IntacctClient,
  input: { readonly paymentKey: string; readonly date: BusinessDate; readonly description?: string },
  controlId: string,
): Promise<void> {
  await client.executeOne(
    {
      controlId,
      body: reverseArpayment({
        paymentKey: input.paymentKey,
        dateReversed: input.date,
        ...(input.description === undefined ? {} : { description: input.description }),
      }),
    },
    { uniqueId: true },
  );
}

/** Creates an AR adjustment (credit memo outside Order Entry) exactly once, resolved by its adjustment number. */
export async function createArAdjustment(
  client: IntacctClient,
  input: ArAdjustmentInput & { readonly adjustmentNumber: string },
  controlId: string,
): Promise<{ readonly adjustmentKey: string; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: createAradjustment(input) }, { uniqueId: true });
    return { adjustmentKey: result.key ?? '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const records = await collectByQuery(client, {
      object: 'ARADJUSTMENT',
      query: `RECORDID = ${queryLiteral(input.adjustmentNumber)}`,
      fields: ['RECORDNO'],
      pageSize: 10,
      controlIdPrefix: 'aradj-by-number',
    });
    const key = records[0] === undefined ? '' : fieldText(records[0], 'RECORDNO');
    if (!key) throw recordedButMissing(controlId, 'create_aradjustment', `adjustment ${input.adjustmentNumber} does not exist`, error);
    return { adjustmentKey: key, created: false };
  }
}

/** Open balance of an AR invoice (TOTALDUE), by its RECORDNO. */
export async function readInvoiceBalance(
  client: IntacctClient,
  invoiceKey: string,
): Promise<{ readonly totalDue: string; readonly totalPaid: string } | undefined> {
  const records = await collectByQuery(client, {
    object: 'ARINVOICE',
    query: `RECORDNO = ${queryLiteral(invoiceKey)}`,
    fields: ['RECORDNO', 'TOTALDUE', 'TOTALPAID'],
    pageSize: 1,
    controlIdPrefix: 'arinvoice-balance',
  });
  return records[0] === undefined
    ? undefined
    : { totalDue: fieldText(records[0], 'TOTALDUE'), totalPaid: fieldText(records[0], 'TOTALPAID') };
}

/** ARPYMT states of a payment that no longer counts. The sandbox says Reversed; the live gateway may show a reversal as Voided. */
const reversedPaymentStates = ['Reversed', 'Voided'];

/** A live (not reversed) payment of the customer with this reference (ARPYMT DOCNUMBER, the `refid` it was created with): its RECORDNO. */
export async function findLivePaymentByReference(
  client: IntacctClient,
  customerId: string,
  referenceId: string,
): Promise<string | undefined> {
  const records = await collectByQuery(client, {
    object: 'ARPYMT',
    query: `CUSTOMERID = ${queryLiteral(customerId)} AND DOCNUMBER = ${queryLiteral(referenceId)}`,
    fields: ['RECORDNO', 'STATE'],
    pageSize: 10,
    controlIdPrefix: 'arpymt-by-reference',
  });
  const live = records.find((record) => !reversedPaymentStates.includes(fieldText(record, 'STATE')));
  return live === undefined ? undefined : fieldText(live, 'RECORDNO');
}

/** Whether the payment is reversed or no longer exists: either way there is nothing left to reverse. */
export async function isPaymentReversedOrGone(client: IntacctClient, paymentKey: string): Promise<boolean> {
  const [record] = await collectByQuery(client, {
    object: 'ARPYMT',
    query: `RECORDNO = ${queryLiteral(paymentKey)}`,
    fields: ['RECORDNO', 'STATE'],
    pageSize: 1,
    controlIdPrefix: 'arpymt-state',
  });
  return record === undefined || reversedPaymentStates.includes(fieldText(record, 'STATE'));
}

/** The RECORDNO of the AR adjustment with this number (RECORDID), or undefined. */
export async function findArAdjustmentByNumber(client: IntacctClient, adjustmentNumber: string): Promise<string | undefined> {
  const [found] = await collectByQuery(client, {
    object: 'ARADJUSTMENT',
    query: `RECORDID = ${queryLiteral(adjustmentNumber)}`,
    fields: ['RECORDNO'],
    pageSize: 1,
    controlIdPrefix: 'aradj-by-number',
  });
  return found === undefined ? undefined : fieldText(found, 'RECORDNO');
}

/**
 * Applies open AR credits to open items exactly once (a credit-only ARPYMT). The reference
 * number (DOCNUMBER) is the business key that resolves an "already recorded" replay.
 */
export async function applyArCredit(client: IntacctClient, input: ArCreditApplicationInput, controlId: string): Promise<ArPaymentResult> {
  try {
    const result = await client.executeOne({ controlId, body: applyArCreditFunction(input) }, { uniqueId: true });
    const record = result.data?.records[0];
    return { paymentKey: record ? fieldText(record, 'RECORDNO') : '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const key = await findLivePaymentByReference(client, input.customerId, input.referenceNumber);
    if (!key) throw recordedButMissing(controlId, 'create', `no credit application ${input.referenceNumber} exists`, error);
    return { paymentKey: key, created: false };
  }
}

/** An AR adjustment's customer and open balance (TOTALDUE: negative for a credit memo, positive for a debit memo), by RECORDNO. */
export async function readArAdjustmentBalance(
  client: IntacctClient,
  adjustmentKey: string,
): Promise<{ readonly customerId: string; readonly totalDue: string } | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'ARADJUSTMENT',
    query: `RECORDNO = ${queryLiteral(adjustmentKey)}`,
    fields: ['RECORDNO', 'CUSTOMERID', 'TOTALDUE'],
    pageSize: 1,
    controlIdPrefix: 'aradj-balance',
  });
  return record === undefined ? undefined : { customerId: fieldText(record, 'CUSTOMERID'), totalDue: fieldText(record, 'TOTALDUE') };
}
