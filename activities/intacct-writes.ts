import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { maxControlIdLength } from '../connectors/intacct/index.js';

/** What every exactly-once Intacct write needs: a control id stable across attempts and runs, and the attempt it runs in. */

/**
 * A function control id for one logical Intacct write: the same parts give the same id in every
 * attempt and every run, so `uniqueid` recognises a repeat. Ids longer than Intacct's 256
 * characters become the operation and a SHA-256 of the whole id.
 */
export function intacctControlId(operation: string, ...parts: readonly string[]): string {
  const id = [operation, ...parts].join(':');
  if (id.length <= maxControlIdLength) return id;
  return `${operation}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** The Temporal attempt of the running activity (1 outside an activity, e.g. a script). */
export function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
