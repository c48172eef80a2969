import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Hook } from '../model.js';
import { readPaging, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

const destination = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'error.path.invalid_url');
const headers = z.record(z.string(), z.string());
const newHook = z.object({ scope: z.string().min(1), destination, is_active: z.boolean().default(true), headers: headers.optional() });
const hookUpdate = z.object({
  scope: z.string().min(1).optional(),
  destination: destination.optional(),
  is_active: z.boolean().optional(),
  headers: headers.optional(),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new SandboxError(
      422,
      'JSON data is missing or invalid',
      Object.fromEntries(
        result.error.issues.map((issue) => [
          issue.path.join('.'),
          issue.code === 'invalid_type' && issue.input === undefined ? 'error.path.missing.' : issue.message,
        ]),
      ),
    );
  }
  return result.data;
}

/**
 * V3 hooks of the calling API account (the client id comes from the token). Unlike the real
 * API, http destinations on any port are accepted so hooks can point at local receivers.
 */
export function v3HookRoutes(store: SandboxStore, clientIdOf: (request: Request) => string, storeHash: string): Router {
  const router = Router({ mergeParams: true });
  const view = (hook: Hook) => ({
    id: hook.id,
    client_id: hook.clientId,
    store_hash: storeHash,
    scope: hook.scope,
    destination: hook.destination,
    is_active: hook.isActive,
    headers: hook.headers,
    created_at: hook.createdAt,
    updated_at: hook.updatedAt,
  });
  const owned = (request: Request) => store.state.hooks.filter((hook) => hook.clientId === clientIdOf(request));
  const find = (request: Request) => {
    const hook = owned(request).find((candidate) => candidate.id === Number(request.params.hookId));
    if (!hook) throw new SandboxError(404, 'Webhook not found');
    return hook;
  };
  const rejectDuplicate = (request: Request, scope: string, target: string, except?: number) => {
    if (owned(request).some((hook) => hook.id !== except && hook.scope === scope && hook.destination === target)) {
      throw new SandboxError(422, 'A webhook with this scope and destination already exists', { destination: 'error.path.duplicate' });
    }
  };

  router.post('/hooks', (request, response) => {
    const input = parse(newHook, request.body);
    rejectDuplicate(request, input.scope, input.destination);
    const now = Math.floor(Date.now() / 1000);
    const hook: Hook = {
      id: store.nextId('hook'),
      clientId: clientIdOf(request),
      scope: input.scope,
      destination: input.destination,
      isActive: input.is_active,
      headers: input.headers ?? {},
      createdAt: now,
      updatedAt: now,
    };
    store.state.hooks.push(hook);
    response.json({ data: view(hook), meta: {} });
  });

  router.get('/hooks', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const all = owned(request).filter(
      (hook) =>
        (query.scope === undefined || hook.scope === query.scope) &&
        (query.destination === undefined || hook.destination === query.destination) &&
        (query.is_active === undefined || String(hook.isActive) === query.is_active),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({ data: rows.map(view), meta: v3Pagination(all.length, paging.page, paging.limit, rows.length) });
  });

  router.get('/hooks/:hookId', (request, response) => {
    response.json({ data: view(find(request)), meta: {} });
  });

  router.put('/hooks/:hookId', (request, response) => {
    const hook = find(request);
    const input = parse(hookUpdate, request.body);
    rejectDuplicate(request, input.scope ?? hook.scope, input.destination ?? hook.destination, hook.id);
    if (input.scope !== undefined) hook.scope = input.scope;
    if (input.destination !== undefined) hook.destination = input.destination;
    if (input.is_active !== undefined) hook.isActive = input.is_active;
    if (input.headers !== undefined) hook.headers = input.headers;
    hook.updatedAt = Math.floor(Date.now() / 1000);
    response.json({ data: view(hook), meta: {} });
  });

  router.delete('/hooks/:hookId', (request, response) => {
    const hook = find(request);
    store.state.hooks = store.state.hooks.filter((candidate) => candidate.id !== hook.id);
    response.json({ data: view(hook), meta: {} });
  });

  return router;
}
