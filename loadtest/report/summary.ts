/**
 * The verdict in the terminal: per scenario what was sent and how fast, per subscription what was handled and
 * how fast, then every missed threshold by operation and phase.
 */
import type { LatencySummary, LoadReport } from './model.ts';

const ms = (value: number | undefined) =>
  value === undefined ? '-' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)}ms`;
const latency = (l: LatencySummary) => `p50 ${ms(l.p50)} p95 ${ms(l.p95)} p99 ${ms(l.p99)}`;

export function summaryText(report: LoadReport): string {
  const lines: string[] = [];
  for (const run of report.runs) {
    lines.push(
      `\n${run.transport} (${run.brokers.join('; ')}), ${run.workers} load worker(s), ${(run.wallMs / 1000).toFixed(1)}s`,
    );
    for (const s of run.scenarios) {
      const p = s.publish;
      lines.push(
        `  ${s.name}: sent ${p.ok + p.failed}/${s.plannedEvents} at ${s.achievedPerSecond.toFixed(2)}/s ` +
          `(target ${s.target.perSecond.toFixed(2)}/s), failed ${p.failed}, dropped ${p.dropped}; publish ${latency(p.latency)} ` +
          // Publish latency runs from the due time: the part before the publish call was even made is the load
          // generator's own lateness (timers, a CPU shared with other work), the rest the client and broker's.
          `(of it, start lag p99 ${ms(p.startLag.p99)})`,
      );
      for (const e of p.errors) lines.push(`    error: ${e}`);
      for (const sub of s.subscribers) {
        lines.push(
          `    -> ${sub.name}: handled ${sub.handled}, dead-lettered ${sub.deadLettered}, lag ${sub.lag}; ` +
            `processing ${latency(sub.processing)}; publish->handled p95 ${ms(sub.endToEnd.p95)}`,
        );
      }
    }
    if (run.interrupted) lines.push('  interrupted: the run was stopped before its end');
    const missed = run.thresholds.filter((t) => !t.passed);
    const held = run.thresholds.length - missed.length;
    lines.push(`  thresholds: ${held} held, ${missed.length} missed`);
    for (const t of missed) {
      lines.push(`  MISSED ${t.operation} (${t.phase}): ${t.description}: ${t.summary}`);
    }
  }
  lines.push(report.passed ? '\nPASS: every threshold holds' : '\nFAIL: thresholds missed (see above)');
  return `${lines.join('\n')}\n`;
}
