import { Router } from 'express';

/** A named dependency check: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

export type DependencyState = 'up' | 'down';

/**
 * `/healthz` says the process is alive (for restarts); `/readyz` says whether it can do its
 * job now (for load balancers), reporting each dependency so an operator sees which one is down.
 */
export function healthRoutes(checks: Record<string, ReadinessCheck>, timeoutMs: number): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, (await withTimeout(check(), timeoutMs)) ? 'up' : 'down'] as const),
    );
    const dependencies: Record<string, DependencyState> = Object.fromEntries(entries);
    const ready = entries.every(([, state]) => state === 'up');
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', dependencies });
  });
  return router;
}

async function withTimeout(check: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check.catch(() => false), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
