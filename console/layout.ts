import type { Role } from '../store/api-keys.js';
import { csrfFieldName, csrfHeaderName, type SignedIn } from './session.js';
import { consolePath, html, type SafeHtml } from './templates.js';

/** The console's own static files (see console/assets.ts). */
export const assetPaths = { css: '/console/assets/console.css', htmx: '/console/assets/htmx.min.js' } as const;

/** The sections of a tenant's console, in navigation order; other modules add theirs here. */
export const tenantSections: ReadonlyArray<{ id: TenantSection; label: string; path: string[]; role?: Role }> = [
  { id: 'overview', label: 'Overview', path: [] },
  { id: 'attention', label: 'Attention queue', path: ['attention'] },
  { id: 'orders', label: 'Sync log', path: ['orders'] },
  { id: 'customers', label: 'Customers', path: ['customers'] },
  { id: 'inventory', label: 'Inventory', path: ['inventory'] },
  { id: 'reconciliation', label: 'Reconciliation', path: ['reconciliation'] },
  { id: 'payouts', label: 'Payouts', path: ['payouts'] },
  { id: 'mappings', label: 'Mapping tables', path: ['mappings'] },
  { id: 'connections', label: 'Connections', path: ['connections'] },
  { id: 'settings', label: 'Settings', path: ['settings'] },
  // The audit log is the admin's, as in the admin API: other keys are not shown the link.
  { id: 'audit', label: 'Audit log', path: ['audit'], role: 'admin' },
];

/** Which section of a tenant's console a page belongs to (highlighted in the navigation). */
export type TenantSection =
  | 'overview'
  | 'attention'
  | 'orders'
  | 'customers'
  | 'inventory'
  | 'reconciliation'
  | 'payouts'
  | 'mappings'
  | 'connections'
  | 'settings'
  | 'audit';

/** What every signed-in page is drawn with. */
export interface PageFrame {
  title: string;
  signedIn: SignedIn;
  /** The tenants this key sees, for the tenant switcher; one for a tenant's own key. */
  tenants: ReadonlyArray<{ id: string; name: string }>;
  /** The tenant the page is about, and its section; absent on pages that are about no tenant. */
  tenant?: { id: string; name: string; section: TenantSection };
  /** A one-line result of the action that led here ("Order 1001 retried"), shown above the page. */
  notice?: { kind: 'success' | 'error'; text: string } | undefined;
}

const roleRank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/**
 * Whether the signed-in key may do what needs `role`: pages show a button only when this is
 * true, and the route checks the same rule (the admin API's `assertRole`) when it is pressed.
 */
export function mayAct(signedIn: SignedIn, role: Role): boolean {
  return roleRank[signedIn.principal.role] >= roleRank[role];
}

/** The hidden CSRF field every console form carries. */
export function csrfField(signedIn: SignedIn): SafeHtml {
  return html`<input type="hidden" name="${csrfFieldName}" value="${signedIn.csrfToken}" />`;
}

/**
 * htmx without eval or inline styles (the CSP allows neither), and error answers swapped in
 * like others: the console answers a refused action with a notice fragment saying why.
 */
const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  responseHandling: [
    { code: '204', swap: false },
    { code: '...', swap: true },
  ],
});

function head(title: string): SafeHtml {
  return html`<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="htmx-config" content="${htmxConfig}" />
    <title>${title} · Storefront sync console</title>
    <link rel="stylesheet" href="${assetPaths.css}" />
    <script src="${assetPaths.htmx}" defer></script>
  </head>`;
}

function navigation(frame: PageFrame): SafeHtml {
  const { tenant } = frame;
  return html`<nav aria-label="Console">
    <a class="brand" href="/console">Storefront sync</a>
    ${
      tenant &&
      html`<ul class="sections">
        ${tenantSections
          .filter((section) => section.role === undefined || mayAct(frame.signedIn, section.role))
          .map(
            (section) =>
              html`<li>
                <a
                  href="${consolePath('tenants', tenant.id, ...section.path)}"
                  ${section.id === tenant.section ? html` aria-current="page"` : ''}
                  >${section.label}</a
                >
              </li>`,
          )}
      </ul>`
    }
    ${
      frame.tenants.length > 1 &&
      html`<form class="tenant-switch" method="get" action="/console/switch">
        <label for="tenant-switch">Tenant</label>
        <select id="tenant-switch" name="tenant">
          ${frame.tenants.map(
            (option) =>
              html`<option value="${option.id}" ${option.id === tenant?.id ? html` selected` : ''}>${option.name} (${option.id})</option>`,
          )}
        </select>
        <button type="submit">Open</button>
      </form>`
    }
    <form class="sign-out" method="post" action="/console/sign-out">
      ${csrfField(frame.signedIn)}
      <span class="who">${frame.signedIn.principal.role} · key ${frame.signedIn.principal.keyId}</span>
      <button type="submit">Sign out</button>
    </form>
  </nav>`;
}

/**
 * A whole signed-in page: head, skip link, navigation (sections of the tenant, the tenant
 * switcher, sign-out), the notice of the last action (or the flash a redirect carried), and `content` in `<main>`. htmx
 * requests carry the session's CSRF token through `hx-headers` on `<body>`.
 */
export function page(frame: PageFrame, content: SafeHtml): SafeHtml {
  const headers = JSON.stringify({ [csrfHeaderName]: frame.signedIn.csrfToken });
  // The page's own outcome (a refused form drawn again) wins over the flash of a redirect.
  const shownNotice = frame.notice ?? frame.signedIn.flash;
  return html`<!doctype html>
    <html lang="en">
      ${head(frame.title)}
      <body hx-headers="${headers}">
        <a class="skip" href="#main">Skip to content</a>
        <header>${navigation(frame)}</header>
        <main id="main" tabindex="-1">${shownNotice && notice(shownNotice)} ${content}</main>
      </body>
    </html>`;
}

/** The result of an action, announced to screen readers as it appears (also as an htmx fragment). */
export function notice(value: NonNullable<PageFrame['notice']>): SafeHtml {
  return html`<p class="notice ${value.kind}" role="${value.kind === 'error' ? 'alert' : 'status'}">${value.text}</p>`;
}

/** A page for someone not signed in (sign-in, errors before sign-in): no navigation. */
export function barePage(title: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      ${head(title)}
      <body>
        <main id="main" class="bare">${content}</main>
      </body>
    </html>`;
}

/** An error page: what went wrong in words, and where to go from here. */
export function errorPage(status: number, message: string, signedIn: boolean): SafeHtml {
  const title = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : 'Request refused';
  return barePage(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>
      <p><a href="${signedIn ? '/console' : '/console/sign-in'}">${signedIn ? 'Back to the console' : 'Sign in'}</a></p>`,
  );
}
