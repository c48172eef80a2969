import express, { Router } from 'express';
import { HttpError } from '../errors.js';
import { registerAlertRoutes } from './alert-routes.js';
import { registerApiKeyRoutes } from './api-key-routes.js';
import { registerAttentionRetryRoute } from './attention-retry-route.js';
import { registerConnectionRoutes } from './connection-routes.js';
import { authenticate } from './auth.js';
import { registerBackfillRoutes } from './backfill-routes.js';
import { registerCustomerRoutes } from './customer-routes.js';
import { registerCatalogRoutes } from './catalog-routes.js';
import { registerPriceListRoutes } from './price-list-routes.js';
import { registerClarityCustomerPollRoutes } from './clarity-customer-poll-routes.js';
import { registerCustomerSyncRoutes } from './customer-sync-routes.js';
import type { AdminDependencies } from './context.js';
import { DocumentedRouter } from './documented-router.js';
import { registerErasureRoutes } from './erasure-routes.js';
import { registerIntacctUsageRoutes } from './intacct-usage-routes.js';
import { registerItemSuggestionRoutes } from './item-suggestion-routes.js';
import { registerRecordSuggestionRoutes } from './record-suggestion-routes.js';
import { registerInventoryReportRoutes } from './inventory-report-routes.js';
import { registerInventoryScheduleRoutes } from './inventory-schedule-routes.js';
import { registerInventorySkuRoutes } from './inventory-sku-routes.js';
import { csvBodyParser, registerMappingRoutes } from './mapping-routes.js';
import { rulesSchema } from '../../store/schemas/settings-rules.js';
import { registerOrderPreviewRoutes } from './order-preview-routes.js';
import { registerOrderResyncRoute } from './order-resync-route.js';
import { registerOrderRoutes } from './order-routes.js';
import { payoutImportPath, registerPayoutRoutes, settlementReportBodyParser } from './payout-routes.js';
import { registerReconciliationRoutes } from './reconciliation-routes.js';
import { registerPayoutWorkflowRoutes } from './payout-workflow-routes.js';
import { registerRecordRoutes } from './record-routes.js';
import { registerRefundRoutes } from './refund-routes.js';
import { registerSettlementMappingRoutes } from './settlement-mapping-routes.js';
import { registerTenantRoutes } from './tenant-routes.js';
import { registerWebhookDeadLetterRoutes } from './webhook-dead-letter-routes.js';

export type { AdminDependencies } from './context.js';

/**
 * The admin API under /api/v1: JSON bodies up to 100 kB (413 beyond), bearer-key auth, and
 * an OpenAPI document generated from the same zod contracts that validate requests.
 */
export function adminApi(deps: AdminDependencies): Router {
  const documented = new DocumentedRouter();
  registerTenantRoutes(documented, deps);
  registerItemSuggestionRoutes(documented, deps);
  registerRecordSuggestionRoutes(documented, deps);
  registerMappingRoutes(documented, deps);
  registerRecordRoutes(documented, deps);
  registerAttentionRetryRoute(documented, deps);
  registerApiKeyRoutes(documented, deps);
  registerConnectionRoutes(documented, deps);
  registerBackfillRoutes(documented, deps);
  registerOrderRoutes(documented, deps);
  registerOrderResyncRoute(documented, deps);
  registerOrderPreviewRoutes(documented, deps);
  registerRefundRoutes(documented, deps);
  registerInventoryScheduleRoutes(documented, deps);
  registerInventoryReportRoutes(documented, deps);
  registerInventorySkuRoutes(documented, deps);
  registerCatalogRoutes(documented, deps);
  registerPriceListRoutes(documented, deps);
  registerClarityCustomerPollRoutes(documented, deps);
  registerCustomerSyncRoutes(documented, deps);
  registerCustomerRoutes(documented, deps);
  registerWebhookDeadLetterRoutes(documented, deps);
  registerIntacctUsageRoutes(documented, deps);
  registerErasureRoutes(documented, deps);
  registerAlertRoutes(documented, deps);
  registerPayoutRoutes(documented, deps);
  registerPayoutWorkflowRoutes(documented, deps);
  registerSettlementMappingRoutes(documented, deps);
  registerReconciliationRoutes(documented, deps);
  // The rules a tenant's settings hold (`settings.rules`), published so that a UI can build its rule form from them.
  const openApi = documented.openApiDocument({ title: 'intacct-storefront-sync admin API', version: '1' }, { TenantRules: rulesSchema });

  const router = Router();
  router.get('/openapi.json', (_request, response) => {
    response.json(openApi);
  });
  router.use((request, _response, next) => {
    const hasBody = request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    if (hasBody && !request.is(['application/json', 'text/csv', 'application/csv'])) {
      next(new HttpError(415, 'unsupported_media_type', 'send JSON (application/json) or, for imports, text/csv'));
      return;
    }
    next();
  });
  router.use(payoutImportPath, settlementReportBodyParser);
  router.use(express.json({ limit: '100kb' }), csvBodyParser);
  router.use(authenticate(deps));
  router.use(documented.router);
  return router;
}
