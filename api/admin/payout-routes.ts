import express from 'express';
import { z } from 'zod';
import { readTimestamp } from '../../mappers/settlement-report/cell-readers.js';
import {
  describePayoutChange,
  parseSettlementReport,
  payoutLinesDifference,
  settlementTemplateNames,
  type SettlementLayout,
} from '../../mappers/settlement-report/parse-settlement-report.js';
import {
  findProcessorPayout,
  listProcessorPayouts,
  isStatusChangeOnly,
  payoutContentHash,
  storeProcessorPayout,
  type ProcessorPayoutDocument,
} from '../../store/processor-payouts.js';
import { findSettlementMapping } from '../../store/settlement-mappings.js';
import { processorNames, processorPayoutSchema, type ProcessorPayout } from '../../workflows/payout-reconcile-contract.js';
import { HttpError } from '../errors.js';
import { audit, pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { onPayoutImported } from './payout-imported.js';
import { settlementMappingNameSchema } from './settlement-mapping-routes.js';

/** The import's own path, for its body parser. */
export const payoutImportPath = '/tenants/:tenantId/payouts/import';

/**
 * Settlement reports are larger than mapping tables: 10 MB is about 35,000 rows of Stripe's
 * itemized report with its default columns. Mounted on the import path before the admin API's
 * 2 MB CSV parser, which then leaves the parsed body alone.
 */
export const settlementReportBodyParser = express.text({ type: ['text/csv', 'application/csv'], limit: '10mb' });

const importQuery = z
  .object({
    template: z.enum(settlementTemplateNames).optional(),
    mapping: settlementMappingNameSchema.optional(),
    gateway: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,49}$/, 'the storefront’s gateway name, e.g. stripe or paypalexpress')
      .describe('Which gateway’s close settings the payout posts with'),
    payoutId: z.string().min(1).max(100).optional().describe('The payout’s id when the file carries none'),
    payoutAmount: z
      .string()
      .regex(/^-?\d+(\.\d+)?$/, 'a decimal amount in major units, e.g. 1234.56')
      .optional()
      .describe('What the bank received, when the file does not state it'),
    payoutDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
      .refine((date) => readTimestamp(date, 'YYYY-MM-DD').ok, 'a date that exists in the calendar')
      .optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals')
      .optional()
      .describe('Import only the rows in this currency, from a report covering several balances'),
  })
  .refine((query) => (query.template === undefined) !== (query.mapping === undefined), {
    message: 'name either a template or a mapping',
    path: ['template'],
  });

const payoutParams = tenantParams.extend({ processor: z.enum(processorNames), payoutId: z.string().min(1).max(100) });

const importedView = z.object({
  processor: z.enum(processorNames),
  payoutId: z.string(),
  outcome: z.enum(['created', 'unchanged', 'statusChanged']),
  currency: z.string(),
  amount: z.number().int(),
  lineCount: z.number().int(),
  /** Amount − the lines' nets: not 0 means the variance step will explain the payout. */
  linesDifference: z.number().int(),
});

const payoutSummary = z.object({
  processor: z.enum(processorNames),
  payoutId: z.string(),
  gateway: z.string(),
  currency: z.string(),
  amount: z.number().int(),
  arrivalDate: z.string(),
  lineCount: z.number().int(),
  linesDifference: z.number().int(),
  source: z.string(),
  importedAt: z.string(),
});

const summaryOf = (document: ProcessorPayoutDocument): z.infer<typeof payoutSummary> => ({
  processor: document.processor,
  payoutId: document.payoutId,
  gateway: document.payout.gateway,
  currency: document.payout.currency,
  amount: document.payout.amount,
  arrivalDate: document.payout.arrivalDate,
  lineCount: document.payout.lines.length,
  linesDifference: payoutLinesDifference(document.payout),
  source: document.source.layout,
  importedAt: document.importedAt.toISOString(),
});

export function registerPayoutRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  const payoutImported = deps.onPayoutImported ?? onPayoutImported(deps);

  router.add({
    method: 'post',
    path: payoutImportPath,
    summary:
      'Import a settlement report (text/csv, up to 10 MB) as processor payouts. Every row is checked first: any bad row answers 422 with every bad row and nothing is imported. 201 when a payout was stored, 200 when every payout was already stored as is, 409 when a payout is stored with other content.',
    tag: 'payouts',
    role: 'operator',
    params: tenantParams,
    query: importQuery,
    body: z.string(),
    bodyMediaType: 'text/csv',
    successStatus: 201,
    response: z.object({ payouts: z.array(importedView) }),
    handler: async ({ params, query, request, response, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      if (!request.is(['text/csv', 'application/csv'])) throw new HttpError(415, 'unsupported_media_type', 'send the report as text/csv');
      const text = typeof request.body === 'string' ? request.body : '';
      if (text.trim() === '') throw new HttpError(400, 'empty_file', 'the request carries no file');
      const layout = await layoutOf(deps, params.tenantId, query);
      const parsed = parseSettlementReport(text, layout, query);
      if (!parsed.ok)
        throw new HttpError(
          422,
          'settlement_rejected',
          `the file has ${parsed.errors.length} problem(s); nothing was imported`,
          parsed.errors,
        );

      await refuseChangedPayouts(deps, params.tenantId, parsed.payouts);
      const source = { layout: query.template ?? `mapping:${query.mapping}`, importedBy: principal.keyId };
      const results: Array<z.infer<typeof importedView>> = [];
      for (const payout of parsed.payouts) {
        const stored = await storeProcessorPayout(deps.db, params.tenantId, payout, source);
        // Another import of the same payout with other content may have won the race since the check.
        if (stored.outcome === 'conflict') throw changedPayoutError([{ payout, stored: stored.stored.payout }]);
        results.push({
          processor: payout.processor,
          payoutId: payout.payoutId,
          outcome: stored.outcome,
          currency: payout.currency,
          amount: payout.amount,
          lineCount: payout.lines.length,
          linesDifference: payoutLinesDifference(payout),
        });
      }
      await audit(
        deps.db,
        { principal, requestId },
        {
          tenantId: params.tenantId,
          action: 'payouts.import',
          target: `payouts:${source.layout}`,
          details: { payouts: results.map((result) => `${result.processor}:${result.payoutId}:${result.outcome}`) },
        },
      );
      for (const result of results)
        await payoutImported({ tenantId: params.tenantId, processor: result.processor, payoutId: result.payoutId });
      response.status(results.some((result) => result.outcome !== 'unchanged') ? 201 : 200).json({ payouts: results });
      return undefined;
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/payouts',
    summary: 'List the tenant’s processor payouts in the order they were stored (keyset pagination)',
    tag: 'payouts',
    role: 'viewer',
    params: tenantParams,
    query: z.object({ ...pageQuery, processor: z.enum(processorNames).optional() }),
    response: z.object({ payouts: z.array(payoutSummary), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const page = await listProcessorPayouts(deps.db, params.tenantId, { processor: query.processor }, query);
      return { payouts: page.items.map(summaryOf), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/payouts/:processor/:payoutId',
    summary: 'Read one processor payout with its lines',
    tag: 'payouts',
    role: 'viewer',
    params: payoutParams,
    response: payoutSummary.extend({ payout: processorPayoutSchema }),
    handler: async ({ params, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const document = await findProcessorPayout(deps.db, params.tenantId, params.processor, params.payoutId);
      if (!document) throw notFoundError(`payout ${params.processor}/${params.payoutId}`);
      return { ...summaryOf(document), payout: document.payout };
    },
  });
}

async function layoutOf(deps: AdminDependencies, tenantId: string, query: z.output<typeof importQuery>): Promise<SettlementLayout> {
  if (query.template !== undefined) return { template: query.template };
  const stored = await findSettlementMapping(deps.db, tenantId, query.mapping!);
  if (!stored) throw new HttpError(400, 'unknown_settlement_mapping', `the tenant has no settlement mapping named ${query.mapping}`);
  return { mapping: stored.mapping };
}

/** 409 before anything is written when a payout in the file is already stored with other content. */
async function refuseChangedPayouts(deps: AdminDependencies, tenantId: string, payouts: ProcessorPayout[]): Promise<void> {
  const changed: Array<{ payout: ProcessorPayout; stored: ProcessorPayout }> = [];
  for (const payout of payouts) {
    const stored = await findProcessorPayout(deps.db, tenantId, payout.processor, payout.payoutId);
    if (stored && stored.contentHash !== payoutContentHash(payout) && !isStatusChangeOnly(stored, payout))
      changed.push({ payout, stored: stored.payout });
  }
  if (changed.length > 0) throw changedPayoutError(changed);
}

function changedPayoutError(changed: Array<{ payout: ProcessorPayout; stored: ProcessorPayout }>): HttpError {
  return new HttpError(
    409,
    'payout_already_imported',
    'a payout in the file was already imported with other content; a payout posts once, so it is not replaced (a correction belongs in a later payout)',
    changed.map(({ payout, stored }) => ({
      processor: payout.processor,
      payoutId: payout.payoutId,
      reason: describePayoutChange(stored, payout),
    })),
  );
}
