import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { fromHistoryPayload } from './history-payloads.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;

/** One shopper's identifier to count; the label names whose and which (`billing email`), never the value. */
export interface PersonalDataValue {
  label: string;
  value: string;
}

/** How often one identifier appears in a decoded history: in all, and by where (`createSalesDocument input`). */
export interface PersonalDataCount {
  total: number;
  where: Record<string, number>;
}

/** One event's payloads, decoded with the payload key, and what the event is in the order's story. */
export interface DecodedHistoryEvent {
  /** `fetchStorefrontOrder result`, `resolveCustomer input`, `workflow input`, `signal orderChanged`, or the event type. */
  label: string;
  /** The decoded payloads' values as JSON. */
  text: string;
}

/**
 * A workflow's history as its payloads say it once decoded with the (sandbox) payload key: what
 * a signed-in operator reads in Temporal UI through the codec endpoint. Activity inputs and
 * results are labelled by the activity's type; queries are not history and are not here.
 */
export async function readDecodedHistory(
  target: { address: string; namespace: string },
  workflowId: string,
): Promise<DecodedHistoryEvent[]> {
  const connection = await Connection.connect({ address: target.address });
  try {
    const events: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await connection.workflowService.getWorkflowExecutionHistory({
        namespace: target.namespace,
        execution: { workflowId },
        ...(nextPageToken !== undefined && { nextPageToken }),
      });
      events.push(...(page.history?.events ?? []));
      nextPageToken =
        page.nextPageToken !== undefined && page.nextPageToken !== null && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken !== undefined);
    return await decodeEvents(events);
  } finally {
    await connection.close();
  }
}

async function decodeEvents(events: readonly HistoryEvent[]): Promise<DecodedHistoryEvent[]> {
  const activityTypes = new Map<string, string>();
  const decoded: DecodedHistoryEvent[] = [];
  for (const event of events) {
    const id = event.eventId?.toString() ?? '';
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityTypes.set(id, scheduled.activityType?.name ?? 'activity');
    const payloads = payloadsOf(event);
    if (payloads.length === 0) continue;
    const values = await Promise.all(payloads.map((payload) => fromHistoryPayload(payload)));
    decoded.push({ label: labelOf(event, activityTypes), text: JSON.stringify(values) });
  }
  return decoded;
}

function labelOf(event: HistoryEvent, activityTypes: ReadonlyMap<string, string>): string {
  const activity = (scheduledEventId: { toString(): string } | null | undefined) =>
    activityTypes.get(scheduledEventId?.toString() ?? '') ?? 'activity';
  if (event.workflowExecutionStartedEventAttributes) return 'workflow input';
  if (event.workflowExecutionCompletedEventAttributes) return 'workflow result';
  if (event.activityTaskScheduledEventAttributes)
    return `${event.activityTaskScheduledEventAttributes.activityType?.name ?? 'activity'} input`;
  if (event.activityTaskCompletedEventAttributes) return `${activity(event.activityTaskCompletedEventAttributes.scheduledEventId)} result`;
  if (event.activityTaskFailedEventAttributes) return `${activity(event.activityTaskFailedEventAttributes.scheduledEventId)} failure`;
  if (event.workflowExecutionSignaledEventAttributes) return `signal ${event.workflowExecutionSignaledEventAttributes.signalName ?? ''}`;
  const type = event.eventType ?? 0;
  return temporal.api.enums.v1.EventType[type] ?? `event ${type}`;
}

/** Every payload of an event (inputs, results, failures' encoded attributes, signals, markers, memos), search attributes left out. */
function payloadsOf(event: HistoryEvent): Payload[] {
  const found: Payload[] = [];
  const walk = (value: unknown, key: string): void => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (key === 'searchAttributes' || key === 'header') return;
    if (isPayload(value)) {
      found.push(value);
      return;
    }
    for (const [name, child] of Object.entries(value)) walk(child, name);
  };
  walk(event, '');
  return found;
}

function isPayload(value: object): value is Payload {
  const { metadata, data } = value as { metadata?: unknown; data?: unknown };
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    (data === undefined || data === null || data instanceof Uint8Array)
  );
}

/**
 * How many times each identifier appears in the decoded history, and where: a count of
 * non-overlapping occurrences, emails in any case (the product lower-cases them).
 */
export function countPersonalData(
  history: readonly DecodedHistoryEvent[],
  values: readonly PersonalDataValue[],
): Record<string, PersonalDataCount> {
  const counts: Record<string, PersonalDataCount> = {};
  for (const { label, value } of values) {
    const count: PersonalDataCount = { total: 0, where: {} };
    const needle = value.toLowerCase();
    for (const event of history) {
      const found = event.text.toLowerCase().split(needle).length - 1;
      if (found === 0) continue;
      count.total += found;
      count.where[event.label] = (count.where[event.label] ?? 0) + found;
    }
    counts[label] = count;
  }
  return counts;
}
