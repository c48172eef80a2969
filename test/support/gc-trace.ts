/**
 * Reads V8's `--trace-gc` lines as a Node process prints them for each of its isolates, the main
 * thread's and every worker thread's (the Temporal SDK runs workflows in worker threads, whose
 * heap `process.memoryUsage()` and the product's own metric cannot see):
 *
 *   [18965:0x7f80a4000f00]   491 ms: Mark-Compact 62.1 (95.0) -> 19.2 (52.6) MB, …
 *
 * The first size after the arrow is what a full collection left: what the isolate holds, its
 * garbage left out. Scavenges (young generation only) say nothing about that and are skipped.
 */
const fullCollection = /\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g;

/** The heap each isolate kept after its last full collection in `trace`, MB, by isolate address. */
export function heapKeptByIsolate(trace: string): Map<string, number> {
  const kept = new Map<string, number>();
  for (const [, isolate, afterMb] of trace.matchAll(fullCollection)) kept.set(isolate!, Number(afterMb));
  return kept;
}

/** All of a process's threads together: the sum of each isolate's last full-collection size, MB; undefined before any full collection. */
export function heapKeptAllThreadsMb(trace: string): number | undefined {
  const kept = [...heapKeptByIsolate(trace).values()];
  return kept.length === 0 ? undefined : Math.round(kept.reduce((sum, mb) => sum + mb, 0));
}
