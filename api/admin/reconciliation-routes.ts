import { z } from 'zod';
import { payoutLineFigures } from '../../decisions/period-reconciliation.js';
import { toPeriodReconciliationCsv } from '../../mappers/period-reconciliation-csv.js';
import { findPayoutPosting } from '../../store/payout-postings.js';
import { listPeriodReports, readPeriodReport } from '../../store/period-reports.js';
import { findProcessorPayout } from '../../store/processor-payouts.js';
import { gatewayCloseSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { processorNames } from '../../workflows/payout-reconcile-contract.js';
import {
  isPeriod,
  periodReconcileWorkflowId,
  periodReconcileWorkflowType,
  type PeriodReconcileInput,
} from '../../workflows/period-reconcile-contract.js';
import { HttpError } from '../errors.js';
import type { Principal } from './auth.js';
import { audit, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';
import { startOrJoinWorkflow, withTemporal } from './temporal-access.js';

/** A month as the API and the console's form take it. */
export const periodField = z
  .string({ error: 'period is required: a month as YYYY-MM, e.g. 2026-11' })
  .refine(isPeriod, 'period must be a month as YYYY-MM (month 01–12), e.g. 2026-11')
  .describe('The month, YYYY-MM, in the tenant’s time zone');

const reportQuery = z.object({
  period: periodField,
  format: z.enum(['json', 'csv']).optional().describe('csv: the report as one CSV sheet (the same as Accept: text/csv)'),
});

const amount = z.number().int();
const registerRowView = z.object({
  processor: z.string(),
  payoutId: z.string(),
  postingDate: z.string(),
  state: z.string(),
  gross: amount,
  refunds: amount,
  chargebacks: amount,
  fees: amount,
  adjustments: amount,
  net: amount,
  depositKey: z.string().optional(),
  journalKeys: z.array(z.string()),
  variance: amount,
  variances: z.array(z.string()),
});
const differenceView = z.object({
  area: z.string(),
  kind: z.string(),
  gateway: z.string().optional(),
  reference: z.string(),
  explanation: z.string(),
  figures: z.object({ currency: z.string(), expected: amount, actual: amount, difference: amount }).optional(),
});

const storedReportView = z.object({
  period: z.string(),
  figuresHash: z.string().describe('SHA-256 of the figures: equal across runs when nothing changed'),
  revision: z.number().int(),
  storedAt: z.string(),
  runs: z.array(z.object({ requestedBy: z.string(), at: z.string(), figuresHash: z.string() })),
  previous: z.object({ revision: z.number().int(), figuresHash: z.string(), storedAt: z.string() }).optional(),
  report: z
    .object({
      tenantId: z.string(),
      period: z.string(),
      from: z.string(),
      to: z.string(),
      timeZone: z.string(),
      baseCurrency: z.string(),
      gateways: z.array(
        z.looseObject({
          gateway: z.string(),
          currency: z.string(),
          clearingAccountNo: z.string(),
          register: z.array(registerRowView),
          rollForward: z.looseObject({ opening: amount, closing: amount, notYetPaidOut: amount }),
        }),
      ),
      documents: z.record(z.string(), z.unknown()),
      differences: z.array(differenceView),
    })
    .describe('Amounts in minor units of their currency'),
});

/** What {@link runPeriodReconciliation} started (or joined). */
export interface PeriodReconciliationStarted {
  workflowId: string;
  runId: string;
  period: string;
}

/**
 * Reconciles a month now (PeriodReconcile; a run of the month already going is joined, not
 * doubled) and audits the request: the admin API's `POST …/reconciliation` and the console's
 * "run this month" form both call it. Throws 409 for a tenant without settings, 503 without Temporal.
 */
export async function runPeriodReconciliation(
  deps: AdminDependencies,
  context: { principal: Principal; requestId: string | undefined },
  tenantId: string,
  period: string,
): Promise<PeriodReconciliationStarted> {
  const { principal } = context;
  const tenant = await visibleTenant(deps.db, principal, tenantId);
  if ((await readSettings(deps.db, tenant._id)) === null)
    throw new HttpError(409, 'not_configured', `tenant ${tenant._id} has no settings yet, so there is nothing to reconcile`);
  const workflowId = periodReconcileWorkflowId(tenant._id, period);
  const input: PeriodReconcileInput = { tenantId: tenant._id, period, requestedBy: principal.keyId };
  // A run going is joined; a finished month may be run again (that is how reproducibility is checked).
  const runId = await withTemporal(deps, (temporal) =>
    startOrJoinWorkflow(temporal, {
      workflowType: periodReconcileWorkflowType,
      workflowId,
      tenantId: tenant._id,
      input,
      reusePolicy: 'ALLOW_DUPLICATE',
    }),
  );
  await audit(deps.db, context, { tenantId: tenant._id, action: 'reconciliation.run', target: workflowId, details: { period } });
  return { workflowId, runId, period };
}

/** The month-end reconciliation: run it, read it as JSON or CSV, and look at one payout in it. */
export function registerReconciliationRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/reconciliation',
    summary:
      'The stored reconciliation of a month: payout register, clearing roll-forward (vs payments not yet paid out and vs the GL), orders vs Intacct documents vs payments vs refunds, cut-off, open disputes and every difference explained. JSON, or CSV with Accept: text/csv or format=csv. 404 until the month has been reconciled (POST).',
    tag: 'reconciliation',
    role: 'viewer',
    params: tenantParams,
    query: reportQuery,
    response: storedReportView,
    handler: async ({ params, query, principal, request, response }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await readPeriodReport(deps.db, tenant._id, query.period);
      if (stored === null) throw notFoundError(`the reconciliation of ${query.period} (run it with POST …/reconciliation)`);
      const wantsCsv =
        query.format === 'csv' || (query.format === undefined && request.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (wantsCsv) {
        response
          .status(200)
          .type('text/csv')
          .setHeader('Content-Disposition', `attachment; filename="${tenant._id}-reconciliation-${query.period}.csv"`)
          .send(toPeriodReconciliationCsv(stored.report));
        return undefined;
      }
      return {
        period: stored.period,
        figuresHash: stored.figuresHash,
        revision: stored.revision,
        storedAt: stored.storedAt.toISOString(),
        runs: stored.runs.map((run) => ({ requestedBy: run.requestedBy, at: run.at.toISOString(), figuresHash: run.figuresHash })),
        ...(stored.previous !== undefined && {
          previous: {
            revision: stored.previous.revision,
            figuresHash: stored.previous.figuresHash,
            storedAt: stored.previous.storedAt.toISOString(),
          },
        }),
        report: stored.report,
      };
    },
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/reconciliation/periods',
    summary: 'The months reconciled so far, newest first, with their fingerprint, revision and number of differences',
    tag: 'reconciliation',
    role: 'viewer',
    params: tenantParams,
    response: z.object({
      periods: z.array(
        z.object({
          period: z.string(),
          figuresHash: z.string(),
          revision: z.number().int(),
          storedAt: z.string(),
          differences: z.number().int(),
        }),
      ),
    }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const periods = await listPeriodReports(deps.db, tenant._id);
      return { periods: periods.map((period) => ({ ...period, storedAt: period.storedAt.toISOString() })) };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/reconciliation',
    summary:
      'Reconcile a month now (PeriodReconcile). 202 with the workflow id; a run of the month already going is joined, not doubled. Read the report with GET once the workflow completes. 503 without Temporal.',
    tag: 'reconciliation',
    role: 'operator',
    params: tenantParams,
    body: z.object({ period: periodField }),
    successStatus: 202,
    response: z.object({ workflowId: z.string(), runId: z.string(), period: z.string() }),
    handler: ({ params, body, principal, requestId }) =>
      runPeriodReconciliation(deps, { principal, requestId }, params.tenantId, body.period),
  });

  router.add({
    method: 'get',
    path: '/tenants/:tenantId/reconciliation/payouts/:processor/:payoutId',
    summary:
      'One payout as the reconciliation sees it: its register row in its month’s stored report (when reconciled), what PayoutReconcile recorded, its figures from the processor’s lines, the lines, and the differences naming it',
    tag: 'reconciliation',
    role: 'viewer',
    params: tenantParams.extend({ processor: z.enum(processorNames), payoutId: z.string().min(1).max(100) }),
    response: z.object({
      processor: z.string(),
      payoutId: z.string(),
      gateway: z.string(),
      currency: z.string(),
      period: z.string(),
      postingDate: z.string(),
      figures: z.object({
        gross: amount,
        refunds: amount,
        chargebacks: amount,
        fees: amount,
        adjustments: amount,
        net: amount,
        variance: amount,
      }),
      posting: z
        .object({ state: z.string(), depositKey: z.string().optional(), journalKeys: z.array(z.string()), variances: z.array(z.string()) })
        .optional(),
      registerRow: registerRowView.optional(),
      differences: z.array(differenceView),
      lines: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async ({ params, principal }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const stored = await findProcessorPayout(deps.db, tenant._id, params.processor, params.payoutId);
      if (stored === null) throw notFoundError(`payout ${params.processor}:${params.payoutId}`);
      const { payout } = stored;
      const posting = await findPayoutPosting(deps.db, tenant._id, params.processor, params.payoutId);
      const settings = await readSettings(deps.db, tenant._id);
      const rule = gatewayCloseSettings(settings?.settings.close, payout.gateway)?.postingDate ?? 'arrival';
      const postingDate = posting?.postingDate ?? (rule === 'created' ? payout.createdDate : payout.arrivalDate);
      const period = postingDate.slice(0, 7);
      const report = (await readPeriodReport(deps.db, tenant._id, period))?.report;
      const registerRow = report?.gateways
        .flatMap((section) => section.register)
        .find((row) => row.processor === payout.processor && row.payoutId === payout.payoutId);
      const figures = payoutLineFigures(payout.lines);
      return {
        processor: payout.processor,
        payoutId: payout.payoutId,
        gateway: payout.gateway,
        currency: payout.currency,
        period,
        postingDate,
        figures: {
          gross: figures.gross,
          refunds: figures.refunds,
          chargebacks: figures.chargebacks,
          fees: figures.fees,
          adjustments: figures.adjustments,
          net: payout.amount,
          variance: payout.amount - figures.linesNet,
        },
        ...(posting !== null && {
          posting: {
            state: posting.state,
            ...(posting.depositKey !== undefined && { depositKey: posting.depositKey }),
            journalKeys: posting.journalKeys,
            variances: posting.variances.map((variance) => variance.explanation),
          },
        }),
        ...(registerRow !== undefined && { registerRow }),
        differences: (report?.differences ?? []).filter(
          (difference) => difference.reference === payout.payoutId || difference.reference.startsWith(`${payout.payoutId}/`),
        ),
        lines: payout.lines.map((line) => ({ ...line })),
      };
    },
  });
}
