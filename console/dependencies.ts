import type { AdminDependencies } from '../api/admin/context.js';
import type { SessionLimits } from './session.js';

/**
 * What the console is built over: everything the admin API has (its use cases run with the
 * same dependencies), plus how its sessions behave and where Temporal UI is.
 */
export interface ConsoleDependencies extends AdminDependencies, ConsoleOptions {}

/** The console's own options, beside the admin API's dependencies. */
export interface ConsoleOptions {
  /** `Secure` cookies: on in production, where the console is reached over TLS. */
  secureCookies: boolean;
  /** Idle and absolute session lifetimes; {@link defaultSessionLimits} when absent. */
  sessionLimits?: SessionLimits;
  /** Temporal Web UI's base URL (e.g. `http://localhost:8233`), for the "open in Temporal UI" links; none when absent. */
  temporalUiUrl?: string;
  /** The Temporal namespace the workflows run in, for those links. */
  temporalNamespace?: string;
}
