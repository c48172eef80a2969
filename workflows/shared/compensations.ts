import { setCurrentDetails } from '@temporalio/workflow';

/** An effect to undo on cancellation; idempotent, so an undo interrupted and run again does no harm. */
export interface Compensation {
  summary: string;
  run: () => Promise<unknown>;
}

/**
 * The effects a flow must undo if it is cancelled, most recent last: pushed as each step
 * succeeds, popped as each undo completes, so an unwind that stops on a failure resumes where
 * it stopped. A run that finds its effects made by an earlier run pushes them again from the
 * ledger.
 */
export class CompensationStack {
  private readonly compensations: Compensation[] = [];

  /** How many effects are left to undo. */
  get size(): number {
    return this.compensations.length;
  }

  /** Registers the undo of an effect that just succeeded. */
  push(summary: string, run: () => Promise<unknown>): void {
    this.compensations.push({ summary, run });
  }

  /** Undoes the registered effects, most recent first; each one is removed once done. */
  async unwind(): Promise<void> {
    while (this.compensations.length > 0) {
      const compensation = this.compensations[this.compensations.length - 1]!;
      setCurrentDetails(`Compensating: ${compensation.summary}`);
      await compensation.run();
      this.compensations.pop();
    }
  }
}
