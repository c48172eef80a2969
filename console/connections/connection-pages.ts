import type { Request, Response, Router } from 'express';
import { registerTenantWebhooks, testTenantConnection, type TestedConnection } from '../../api/admin/connection-actions.js';
import type { ConnectionTestResult } from '../../api/admin/connections.js';
import { storeTenantCredentials, type EnteredCredentialPart } from '../../api/admin/settings-changes.js';
import { HttpError } from '../../api/errors.js';
import { credentialSchemas, describeCredentials } from '../../store/credentials.js';
import type { SettingsError } from '../../store/schemas/settings.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page, type PageFrame } from '../layout.js';
import { labelFromKey, objectNodes } from '../settings/setting-nodes.js';
import { readFormObject, type FormBody } from '../settings/settings-form-body.js';
import { redirectAfterAction } from '../session.js';
import type { ConsoleFlash } from '../../store/console-sessions.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, sendHtml, type SafeHtml } from '../templates.js';

/**
 * The connections page: enter or replace credentials (write-only: a value is never shown
 * back), test each connection and see the vendor's own message when it refuses, and register
 * or rotate the storefront's webhooks, each through the admin API's use case.
 */

const partLabels: Record<EnteredCredentialPart, string> = {
  intacct: 'Sage Intacct',
  bigcommerce: 'BigCommerce',
  clarity: 'Clarity eCommerce',
  stripe: 'Stripe',
  alerts: 'Alert signing key',
};

/** Secret fields are password inputs, never filled in, and not offered to the browser's autofill. */
const isSecret = (key: string) => /password|secret|token/i.test(key);

interface ConnectionsPageOptions {
  notice?: PageFrame['notice'];
  status?: number;
  /** A credentials form refused, with its problems (the values typed are not shown again). */
  refused?: { part: EnteredCredentialPart; errors: readonly SettingsError[] };
}

function credentialForm(tenantId: string, part: EnteredCredentialPart, csrf: SafeHtml, errors: readonly SettingsError[]): SafeHtml {
  const nodes = objectNodes(credentialSchemas[part]);
  const messagesOf = (key: string) => errors.filter((error) => error.path === key).map((error) => error.message);
  const unclaimed = errors.filter((error) => !nodes.some((node) => node.key === error.path));
  return html`<form method="post" action="${consolePath('tenants', tenantId, 'connections', 'credentials', part)}" novalidate>
    ${csrf}
    ${unclaimed.length > 0 && html`<div class="field-error" role="alert">${unclaimed.map((error) => html`<p>${error.message}</p>`)}</div>`}
    ${nodes.map((node) => {
      const id = `credential-${part}-${node.key}`;
      const messages = messagesOf(node.key);
      return html`<div class="field">
        <label for="${id}">${labelFromKey(node.key)}</label>
        <input
          id="${id}"
          name="${node.key}"
          type="${isSecret(node.key) ? 'password' : 'text'}"
          autocomplete="${isSecret(node.key) ? 'new-password' : 'off'}"
          ${messages.length > 0 && html` aria-invalid="true" aria-describedby="${id}-error"`}
        />
        ${messages.length > 0 && html`<p class="field-error" id="${id}-error">${messages.join('; ')}</p>`}
      </div>`;
    })}
    <button type="submit">Save ${partLabels[part]} credentials</button>
  </form>`;
}

function testResultHtml(result: ConnectionTestResult): SafeHtml {
  if (result.ok) {
    const details = Object.entries(result.details).map(([key, value]) => `${labelFromKey(key)}: ${String(value)}`);
    return html`<p class="notice success" role="status">${result.system} connection works. ${details.join('; ')}</p>`;
  }
  return html`<div class="notice error" role="alert">
    <p>${result.system} refused the connection (${result.failure}).</p>
    <p>Its message: <q>${result.message}</q>${result.vendorCode !== undefined && html` (code ${result.vendorCode})`}</p>
  </div>`;
}

/** A connection test's outcome as the one line a redirect carries (without JavaScript). */
function testResultFlash(result: ConnectionTestResult): ConsoleFlash {
  if (result.ok) {
    const details = Object.entries(result.details).map(([key, value]) => `${labelFromKey(key)}: ${String(value)}`);
    return { kind: 'success', text: `${result.system} connection works. ${details.join('; ')}` };
  }
  const code = result.vendorCode === undefined ? '' : ` (code ${result.vendorCode})`;
  return { kind: 'error', text: `${result.system} refused the connection (${result.failure}). Its message: "${result.message}"${code}` };
}

async function renderConnections(
  deps: ConsoleDependencies,
  request: Request,
  response: Response,
  tenantId: string,
  options: ConnectionsPageOptions = {},
) {
  const context = await tenantPage(deps, response, tenantId, 'connections');
  const { tenant, signedIn } = context;
  const credentials = await describeCredentials(deps.db, tenant._id);
  const active = tenant.status === 'active';
  const mayConfigure = mayAct(signedIn, 'admin') && active;
  const mayTest = mayAct(signedIn, 'operator') && active;
  const csrf = csrfField(signedIn);
  const parts: EnteredCredentialPart[] = ['intacct', tenant.storefront, 'stripe'];
  const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  const webhook = credentials.webhook;
  sendHtml(
    response,
    page(
      context.frame(`${tenant.name}: connections`, options.notice),
      html`<h1>Connections</h1>
        <div id="connection-test-result" aria-live="polite"></div>
        <div class="cards">
          ${parts.map((part) => {
            const state = credentials[part];
            const which: TestedConnection = part === 'intacct' || part === 'stripe' ? part : 'storefront';
            return html`<section class="card" aria-labelledby="connection-${part}">
              <h2 id="connection-${part}">${partLabels[part]}</h2>
              <p class="${state.set ? 'health-ok' : 'health-bad'}">
                ${state.set ? `Credentials set${state.updatedAt ? ` (${formatTime(new Date(state.updatedAt))})` : ''}` : 'No credentials yet'}
              </p>
              ${
                mayTest &&
                html`<form
                  method="post"
                  action="${consolePath('tenants', tenantId, 'connections', 'test', which)}"
                  hx-post="${consolePath('tenants', tenantId, 'connections', 'test', which)}"
                  hx-target="#connection-test-result"
                >
                  ${csrf}<button type="submit">Test the ${partLabels[part]} connection</button>
                </form>`
              }
              ${
                mayConfigure &&
                html`<h3>${state.set ? 'Replace' : 'Enter'} the credentials</h3>
                  <p class="help">Stored encrypted; never shown again, here or in the API.</p>
                  ${credentialForm(tenantId, part, csrf, options.refused?.part === part ? options.refused.errors : [])}`
              }
            </section>`;
          })}
          <section class="card" aria-labelledby="connection-webhooks">
            <h2 id="connection-webhooks">Webhooks</h2>
            <p class="${webhook.set ? 'health-ok' : 'health-bad'}">
              ${webhook.set ? 'Registered, with a secret the receiver checks' : 'Not registered'}
            </p>
            ${
              mayConfigure &&
              html`<form method="post" action="${consolePath('tenants', tenantId, 'connections', 'webhooks')}">
                ${csrf}
                <div class="field">
                  <label for="public-base-url">This service's address, as the storefront reaches it</label>
                  <input id="public-base-url" name="publicBaseUrl" type="url" value="${origin}" />
                </div>
                <button type="submit" name="action" value="register">Register webhooks</button>
                <button type="submit" name="action" value="rotate" class="secondary">Rotate the secret</button>
              </form>`
            }
          </section>
        </div>
        ${!mayConfigure && html`<p class="muted">Only an admin key enters credentials and registers webhooks.</p>`}`,
    ),
    options.status,
  );
}

const connectionsPath = (tenantId: string) => consolePath('tenants', tenantId, 'connections');

async function saveCredentials(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, part: string) {
  const acting = await actingOn(deps, response, tenantId, 'admin');
  if (!Object.hasOwn(partLabels, part) || part === 'webhook') throw new HttpError(404, 'not_found', `There are no ${part} credentials.`);
  const entered = part as EnteredCredentialPart;
  const input = readFormObject(objectNodes(credentialSchemas[entered]), request.body as FormBody);
  try {
    await storeTenantCredentials(deps, acting.context, tenantId, entered, input);
    await redirectAfterAction(deps.db, response, connectionsPath(tenantId), {
      kind: 'success',
      text: `${partLabels[entered]} credentials saved.`,
    });
  } catch (error) {
    if (!(error instanceof HttpError) || error.code !== 'validation_failed') throw error;
    const errors = Array.isArray(error.details) ? (error.details as SettingsError[]) : [{ path: '', message: error.message }];
    const notice = { kind: 'error' as const, text: 'The credentials were not saved: correct the fields marked below.' };
    await renderConnections(deps, request, response, tenantId, { notice, status: 400, refused: { part: entered, errors } });
  }
}

async function testConnection(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, which: string) {
  const acting = await actingOn(deps, response, tenantId, 'operator');
  if (which !== 'intacct' && which !== 'storefront' && which !== 'stripe')
    throw new HttpError(404, 'not_found', `There is no ${which} connection.`);
  // With JavaScript (htmx), only the result is sent and swapped in; without, the whole page.
  const partial = request.get('hx-request') === 'true';
  try {
    const tested = await testTenantConnection(deps, acting.context, tenantId, which);
    if (partial) sendHtml(response, testResultHtml(tested));
    else await redirectAfterAction(deps.db, response, connectionsPath(tenantId), testResultFlash(tested));
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    const notice = { kind: 'error' as const, text: error.message };
    if (partial) sendHtml(response, html`<p class="notice error" role="alert">${notice.text}</p>`, error.status);
    else await redirectAfterAction(deps.db, response, connectionsPath(tenantId), notice);
  }
}

async function webhooks(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string) {
  const acting = await actingOn(deps, response, tenantId, 'admin');
  const body = request.body as Record<string, unknown>;
  const rotate = body.action === 'rotate';
  const publicBaseUrl = typeof body.publicBaseUrl === 'string' ? body.publicBaseUrl.trim() : '';
  try {
    if (!/^https?:\/\/[^\s/]+/.test(publicBaseUrl))
      throw new HttpError(400, 'validation_failed', 'Enter the http or https address of this service.');
    const result = await registerTenantWebhooks(deps, acting.context, tenantId, { publicBaseUrl, rotate });
    await redirectAfterAction(deps.db, response, connectionsPath(tenantId), {
      kind: 'success',
      text: `Webhooks ${rotate ? 'rotated' : 'registered'} to ${result.destination}.`,
    });
  } catch (error) {
    if (!(error instanceof HttpError) || (error.status >= 500 && error.code !== 'storefront_refused')) throw error;
    await renderConnections(deps, request, response, tenantId, { notice: { kind: 'error', text: error.message }, status: error.status });
  }
}

/** The connections page and its actions under /console/tenants/:tenantId/connections. */
export function registerConnectionPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/connections', (request, response) => renderConnections(deps, request, response, request.params.tenantId));
  router.post('/tenants/:tenantId/connections/credentials/:part', (request, response) =>
    saveCredentials(deps, request, response, request.params.tenantId, request.params.part),
  );
  router.post('/tenants/:tenantId/connections/test/:which', (request, response) =>
    testConnection(deps, request, response, request.params.tenantId, request.params.which),
  );
  router.post('/tenants/:tenantId/connections/webhooks', (request, response) => webhooks(deps, request, response, request.params.tenantId));
}
