/** How many wrong keys one client may present, per window, before it is refused for the rest of it. */
export interface AuthFailureLimits {
  maxFailures: number;
  windowMs: number;
  /** Clients remembered at once; the one whose window started first is forgotten to make room. */
  maxClients: number;
}

export const defaultAuthFailureLimits: AuthFailureLimits = { maxFailures: 10, windowMs: 60_000, maxClients: 10_000 };

interface ClientWindow {
  failures: number;
  startedAt: number;
}

/**
 * Slows key guessing on the admin API: a client that presented `maxFailures` wrong keys within
 * a window is answered 429 until the window ends, before its key is even checked (so a right
 * guess inside the penalty tells it nothing). Memory is bounded by `maxClients`.
 */
export class AuthFailureLimiter {
  // Insertion order is window-start order: a new window deletes and re-inserts its client.
  private readonly clients = new Map<string, ClientWindow>();

  constructor(
    private readonly limits: AuthFailureLimits = defaultAuthFailureLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whole seconds until `client` may present a key again; 0 when it may now. */
  retryAfterSeconds(client: string): number {
    const window = this.currentWindow(client);
    if (window === undefined || window.failures < this.limits.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.limits.windowMs - this.now()) / 1000));
  }

  recordFailure(client: string): void {
    const window = this.currentWindow(client);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    if (this.clients.size >= this.limits.maxClients) {
      const oldest = this.clients.keys().next();
      if (!oldest.done) this.clients.delete(oldest.value);
    }
    this.clients.set(client, { failures: 1, startedAt: this.now() });
  }

  /** Clients currently remembered (for tests of the memory bound). */
  get size(): number {
    return this.clients.size;
  }

  private currentWindow(client: string): ClientWindow | undefined {
    const window = this.clients.get(client);
    if (window === undefined) return undefined;
    if (this.now() - window.startedAt < this.limits.windowMs) return window;
    this.clients.delete(client);
    return undefined;
  }
}

/**
 * The address a limit applies to. IPv6 clients are counted by their /64, the block one
 * subscriber is usually given, so rotating addresses inside it does not reset the count.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
