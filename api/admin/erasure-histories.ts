import type { Client } from '@temporalio/client';

/** What the erasure did to a shopper's workflow executions in Temporal. */
export interface HistoryErasure {
  /** Closed executions deleted (their histories go with them). */
  deleted: Array<{ workflowId: string; runId: string }>;
  /** Executions still running: kept, an order in flight is not erased under it; erase again once it closed. */
  open: Array<{ workflowId: string; runId: string }>;
}

/** Ids per visibility query: a query of a few hundred ids stays well inside the server's limits. */
const idsPerQuery = 50;

/**
 * Deletes every closed execution (every run) of the given workflow ids with WorkflowService's
 * DeleteWorkflowExecution, and lists the ones still running. Temporal removes a deleted
 * execution's history and visibility record asynchronously; a run already gone is passed over.
 */
export async function deleteClosedExecutions(client: Client, workflowIds: readonly string[]): Promise<HistoryErasure> {
  const erasure: HistoryErasure = { deleted: [], open: [] };
  const namespace = client.options.namespace;
  for (let start = 0; start < workflowIds.length; start += idsPerQuery) {
    const chunk = workflowIds.slice(start, start + idsPerQuery);
    const query = chunk.map((id) => `WorkflowId = ${JSON.stringify(id)}`).join(' OR ');
    for await (const execution of client.workflow.list({ query })) {
      const run = { workflowId: execution.workflowId, runId: execution.runId };
      if (execution.status.name === 'RUNNING') {
        erasure.open.push(run);
        continue;
      }
      try {
        await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: run });
        erasure.deleted.push(run);
      } catch (error) {
        // NOT_FOUND: deleted meanwhile (a repeated erasure); anything else is the caller's 5xx.
        if ((error as { code?: number }).code !== 5) throw error;
      }
    }
  }
  return erasure;
}
