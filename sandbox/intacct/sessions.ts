import { randomBytes } from 'node:crypto';

/** A live API session. */
export interface SandboxSession {
  readonly sessionId: string;
  readonly companyId: string;
  readonly userId: string;
  readonly locationId: string;
  expiresAt: number;
}

/**
 * API sessions: opaque ids ending in `..` like real ones, scoped to user + company (+ entity),
 * with a sliding expiry that each successful use pushes out again.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SandboxSession>();

  constructor(
    private readonly durationMs: number,
    private readonly now: () => number,
  ) {}

  /** Starts a session. */
  create(companyId: string, userId: string, locationId: string): SandboxSession {
    const session: SandboxSession = {
      sessionId: `${randomBytes(24).toString('base64url')}..`,
      companyId,
      userId,
      locationId,
      expiresAt: this.now() + this.durationMs,
    };
    this.sessions.set(session.sessionId, session);
    return session;
  }

  /** The live session with this id, or undefined when it is unknown or expired. */
  find(sessionId: string): SandboxSession | undefined {
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return session;
  }

  /** Pushes the expiry out after a successful use. */
  slide(session: SandboxSession): void {
    session.expiresAt = this.now() + this.durationMs;
  }

  /** Ends every session (a control action, for expiry tests). */
  expireAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }
}
