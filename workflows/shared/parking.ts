import type { UpdateDefinition } from '@temporalio/common';
import { condition, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { AttentionNotice } from '../shared-contract.js';
import { describeStepFailure } from '../order-to-cash-failures.js';
import { SyncState } from '../search-attributes.js';

/**
 * Steps, waiting and parking, shared by every flow that posts an item (an order, a refund):
 * each step runs one activity; a failure the activity's retries could not cure parks the item
 * in the attention queue, where it waits for an operator's retry, a storefront change or (for
 * outages) time, and then the flow tries again from the top.
 */

/** A parked item whose step failed on outages is retried on its own after this long. */
export const transientRetryDelay = '30 minutes';

/** An item that cannot go on until a person fixes something (or time cures an outage). */
export class ItemParked extends Error {
  constructor(
    readonly attention: AttentionNotice,
    /** The step failed on an outage: the park ends on its own after {@link transientRetryDelay}. */
    readonly transient: boolean,
  ) {
    super(attention.reason);
  }
}

/** What a step shows while it runs and says when it fails; each flow keeps its steps' texts in one table. */
export interface StepText<Step extends string> {
  /** The flow's status while the step runs. */
  step: Step;
  /** The line Temporal's UI shows while the step runs. */
  label: string;
  /** The step in words, for the reason of a park: "creating the sales document". */
  failure: string;
  /** The activity's summary in Temporal's UI; none for steps that never had one. */
  summary?: string;
}

/** The part of a flow's status that steps and parking keep. */
export interface ParkableStatus {
  step: string;
  attention?: { code: string; reason: string; fix: string };
}

/** What operators and the storefront asked of an item since it last looked: the handlers fill it, the flow consumes it. */
export class ItemRequests<Change> {
  /** Storefront change signals not acted on yet. */
  readonly changes: Change[] = [];
  /** An operator's retry of the parked item. */
  retryRequested = false;
}

/** Runs `run`; an activity failure in it becomes an {@link ItemParked} whose reason names `inWords` as where the item stopped. */
export async function parkOnFailure<T>(inWords: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = describeStepFailure(inWords, error);
    throw new ItemParked(failure.attention, failure.transient);
  }
}

/** Runs one step's activity with the step shown; a failure it could not retry away parks the item with the step named. */
export async function runStep<Step extends string, T>(
  status: { step: Step },
  text: StepText<Step>,
  activity: (options: { summary?: string }) => Promise<T>,
): Promise<T> {
  status.step = text.step;
  setCurrentDetails(text.label);
  return parkOnFailure(text.failure, () => activity(text.summary === undefined ? {} : { summary: text.summary }));
}

/** Runs `attempt` until it completes; each time it parks, `park` waits for the retry first. */
export async function untilDone<T>(attempt: () => Promise<T>, park: (parked: ItemParked) => Promise<void>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ItemParked)) throw error;
      await park(error);
    }
  }
}

/** How a flow parks its item: how the park is recorded, what wakes the item, and whether a wake-up is worth a retry. */
export interface ParkingPlace {
  readonly status: ParkableStatus;
  readonly requests: ItemRequests<unknown>;
  /** Records the park in the attention queue, and anything else the flow does for a parked item. */
  recordPark(parked: ItemParked): Promise<void>;
  /** True once something arrived that may end the park. */
  woken(): boolean;
  /** Whether what woke the item is worth a retry; false waits on. */
  worthRetrying(): Promise<boolean>;
}

/** Shows and records the item as parked, then waits until it is worth a retry: an operator's, a storefront change's or (for outages) time's. */
export async function parkUntilRetried(place: ParkingPlace, parked: ItemParked): Promise<void> {
  const { attention } = parked;
  // Cleared before the item shows as parked: a retry that arrives while the park is being
  // recorded must not be lost.
  place.requests.retryRequested = false;
  place.requests.changes.length = 0;
  place.status.step = 'parked';
  place.status.attention = { code: attention.code, reason: attention.reason, fix: attention.fix };
  upsertSearchAttributes([{ key: SyncState, value: 'parked' }]);
  setCurrentDetails(`Parked (${attention.code}): ${attention.reason}\nFix: ${attention.fix}`);
  await place.recordPark(parked);
  do {
    await condition(() => place.woken(), parked.transient ? transientRetryDelay : undefined);
  } while (!(await place.worthRetrying()));
  place.requests.retryRequested = false;
  setCurrentDetails('');
}

/** A flow parked until an operator retries it: how it runs its attempts and clears its attention item afterwards. */
export interface OperatorRetriedParking {
  /** Runs `attempt` until it completes; each time it parks, the item waits for an operator's retry first. */
  untilDone<T>(attempt: () => Promise<T>): Promise<T>;
  /** Clears the item's attention item once it went on after a park; nothing when it never parked. */
  clearAttention(): Promise<void>;
}

/**
 * The parking of a flow that nothing but an operator's retry wakes (a day's payouts, a payout's
 * reversal, a month's reconciliation): registers the flow's retry update, accepted only while the
 * item is parked, and parks with `recordPark`, so the flow itself reads as its steps. A park on an
 * outage still ends on its own after {@link transientRetryDelay}.
 */
export function parkingRetriedByOperator<Status extends ParkableStatus>(
  status: Status,
  retryUpdate: UpdateDefinition<Status, []>,
  item: {
    /** The item in words, for the refusal of a retry while it is not parked: "a payout reversal". */
    inWords: string;
    /** Records the park in the attention queue. */
    recordPark(parked: ItemParked): Promise<void>;
    /** Clears the attention item {@link recordPark} opened. */
    clearPark(): Promise<void>;
  },
): OperatorRetriedParking {
  const requests = new ItemRequests<never>();
  setHandler(
    retryUpdate,
    () => {
      requests.retryRequested = true;
      return status;
    },
    {
      validator: () => {
        if (status.step !== 'parked') throw new Error(`cannot retry ${item.inWords} that is ${status.step}`);
      },
    },
  );
  const place: ParkingPlace = {
    status,
    requests,
    recordPark: (parked) => item.recordPark(parked),
    woken: () => requests.retryRequested,
    worthRetrying: () => Promise.resolve(true),
  };
  return {
    untilDone: (attempt) => untilDone(attempt, (parked) => parkUntilRetried(place, parked)),
    async clearAttention() {
      if (status.attention === undefined) return;
      await item.clearPark();
      delete status.attention;
    },
  };
}
