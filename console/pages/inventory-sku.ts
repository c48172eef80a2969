import type { Request, Response, Router } from 'express';
import { syncSkuNow, type SkuSyncNow } from '../../api/admin/inventory-sku-routes.js';
import { HttpError } from '../../api/errors.js';
import type { ConsoleFlash } from '../../store/console-sessions.js';
import { identifier } from '../../store/schemas/fields.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField } from '../layout.js';
import { redirectAfterAction, type SignedIn } from '../session.js';
import { consolePath, html, type SafeHtml } from '../templates.js';

/** The role the admin route `POST …/inventory/skus/{sku}/reconcile` declares. */
const skuSyncRole = 'operator';
const skuField = identifier('SKU');

/** The inventory page's "sync one SKU now" form, for keys that may run it. */
export function skuSyncSection(tenantId: string, signedIn: SignedIn): SafeHtml {
  return html`<section class="card" aria-labelledby="sku-sync-heading">
    <h2 id="sku-sync-heading">One SKU</h2>
    <p>Bring one SKU's storefront stock to Intacct's availability now, without waiting for the schedule.</p>
    <form method="post" action="${consolePath('tenants', tenantId, 'inventory', 'sku-sync')}">
      ${csrfField(signedIn)}
      <label for="sku-sync-sku">SKU</label>
      <input id="sku-sync-sku" name="sku" required maxlength="200" autocomplete="off" />
      <button type="submit">Sync this SKU</button>
    </form>
  </section>`;
}

/** What a finished or still running sync says, in words. */
function outcomeText(sku: string, synced: SkuSyncNow): string {
  if (synced.status === 'running')
    return `SKU ${sku} is syncing (workflow ${synced.workflowId}); it goes on after this page, and its level lands in the storefront when it ends.`;
  if (synced.result?.outcome === 'disabled') return `SKU ${sku} was not synced: inventory sync is off for this tenant.`;
  const lines = (synced.result?.skus ?? []).map((line) => {
    const levels = line.from !== undefined && line.to !== undefined ? ` ${line.from} → ${line.to}` : '';
    const at = line.locationId !== undefined ? ` at location ${line.locationId}` : '';
    return `${line.sku}${at}: ${line.outcome}${levels}${line.reason ? ` (${line.reason})` : ''}`;
  });
  return `SKU ${sku} synced. ${lines.join('; ')}.`;
}

async function syncSku(deps: ConsoleDependencies, request: Request, response: Response): Promise<void> {
  const { tenantId } = request.params as { tenantId: string };
  const { context } = await actingOn(deps, response, tenantId, skuSyncRole);
  const parsed = skuField.safeParse((request.body as Record<string, unknown>).sku);
  let flash: ConsoleFlash;
  if (!parsed.success) {
    flash = { kind: 'error', text: `Not done: ${parsed.error.issues[0]?.message ?? 'the SKU is not valid'}.` };
  } else {
    try {
      flash = { kind: 'success', text: outcomeText(parsed.data, await syncSkuNow(deps, context, tenantId, parsed.data)) };
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 500) throw error;
      flash = { kind: 'error', text: `Not done: ${error.message}.` };
    }
  }
  await redirectAfterAction(deps.db, response, consolePath('tenants', tenantId, 'inventory'), flash);
}

/** "Sync one SKU now" under /console/tenants/:tenantId/inventory/sku-sync. */
export function registerInventorySkuPage(router: Router, deps: ConsoleDependencies): void {
  router.post('/tenants/:tenantId/inventory/sku-sync', (request, response) => syncSku(deps, request, response));
}
