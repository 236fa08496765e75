/**
 * The HTML page of `--report DIR`: the counters, the fault coverage table, and each counterexample as a
 * timeline with one lane per actor (harness, broker, each consumer process). One self-contained file.
 */
import type { HarnessReport } from '../engine/harness-run.ts';
import { replayCommand } from '../engine/harness-run.ts';
import { EXCUSE_TEXT } from '../engine/check/excuse.ts';
import { stepText } from '../engine/steps.ts';
import type { SuiteResult } from '../engine/suite.ts';
import { COUNT_LABELS } from './counts.ts';
import { duration, timeline } from './timeline.ts';

function h(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d5dd;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}.pass{color:#05603a}.fail{color:#b42318;font-weight:600}
.never{background:#fee4e2;font-weight:600}.steps li{font-family:ui-monospace,monospace}
.timeline{display:grid;gap:2px 8px;font-family:ui-monospace,monospace;font-size:12px}
.timeline div{padding:1px 4px;border-radius:3px}.fault{background:#fef0c7}.failure{background:#fee4e2}
.effect{background:#d1fadf}.at{color:#667085;text-align:right}code{background:#f2f4f7;padding:2px 4px}
`;

export function htmlReport(report: HarnessReport): string {
  const failed = report.suites.filter((suite) => !suite.ok).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>eventwire test report</title><style>${STYLE}</style></head>
<body>
<h1>eventwire test: <span class="${failed ? 'fail' : 'pass'}">${failed ? `${failed} of ${report.suites.length} suites failed` : `all ${report.suites.length} suites hold`}</span></h1>
<p>${h(report.mode)} brokers · seed ${report.seed} · up to ${report.runsPerSuite} runs per suite · ${h(duration(report.durationMs))} · started ${h(report.startedAt)}${report.variant ? ` · runtime variant <code>${h(report.variant)}</code>` : ''}</p>
<h2>Counters</h2>
${countersTable(report)}
<h2>Fault coverage</h2>
<p>Runs in which each fault actually happened. The first runs of a suite force one fault kind each, so a suite of at least as many runs as kinds covers them all; a fault asked for that never happened fails its suite. <i>n/a</i>: cannot happen on that operation (hover for why); <i>no run</i>: the suite had fewer runs than fault kinds.</p>
${coverageTable(report)}
${excusedSection(report)}
${report.suites
  .filter((suite) => !suite.ok)
  .map((suite) => failureSection(report, suite))
  .join('\n')}
</body></html>
`;
}

function countersTable(report: HarnessReport): string {
  const head = `<tr><th>suite</th><th>result</th><th>runs</th>${COUNT_LABELS.map(([, label]) => `<th>${h(label)}</th>`).join('')}</tr>`;
  const row = (suite: SuiteResult) =>
    `<tr><td>${h(`${suite.target.service}/${suite.target.operation}`)}</td><td class="${suite.ok ? 'pass' : 'fail'}">${suite.ok ? 'pass' : 'FAIL'}</td><td>${suite.runs}</td>${COUNT_LABELS.map(([key]) => `<td>${suite.counts[key]}</td>`).join('')}</tr>`;
  const total = `<tr><th>total</th><th></th><th>${report.suites.reduce((sum, suite) => sum + suite.runs, 0)}</th>${COUNT_LABELS.map(([key]) => `<th>${report.totals[key]}</th>`).join('')}</tr>`;
  return `<table>${head}${report.suites.map(row).join('')}${total}</table>`;
}

function excusedSection(report: HarnessReport): string {
  const rows = report.suites.flatMap((suite) =>
    suite.excused.map(
      (row) =>
        `<tr><td>${h(`${suite.target.service}/${suite.target.operation}`)}</td><td>${h(EXCUSE_TEXT[row.kind])}</td><td>${row.count}</td><td style="text-align:left">${h(row.example)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return '';
  return `<h2>Excused dead letters</h2>
<p>Healthy events dead-lettered as a consequence of the faults (the runtime's retry budget and ordering rules), not runtime bugs.</p>
<table><tr><th>suite</th><th>why</th><th>dead letters</th><th>for example</th></tr>${rows.join('')}</table>`;
}

function coverageTable(report: HarnessReport): string {
  const head = `<tr><th>fault</th>${report.suites.map((suite) => `<th>${h(`${suite.target.service}/${suite.target.operation}`)}</th>`).join('')}</tr>`;
  const rows = report.faults.map((fault) => {
    const cells = report.suites.map((suite) => {
      const row = suite.coverage.find((candidate) => candidate.fault === fault);
      if (suite.uncovered.includes(fault)) return '<td class="never">never</td>';
      if (row && row.runs > 0) return `<td>${row.runs}</td>`;
      if (suite.tooFewRuns?.kinds.includes(fault))
        return '<td title="fewer runs than fault kinds">no run</td>';
      if (row?.inapplicable) return `<td title="${h(row.inapplicable)}">n/a</td>`;
      return '<td>-</td>';
    });
    return `<tr><td>${h(fault)}</td>${cells.join('')}</tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function failureSection(report: HarnessReport, suite: SuiteResult): string {
  const name = `${suite.target.service}/${suite.target.operation}`;
  const failure = suite.failure;
  const violations = (failure?.violations ?? [])
    .map((v) => `<li><b>${h(v.invariant)}</b>: expected ${h(v.expected)}<br>observed: ${h(v.observed)}</li>`)
    .join('');
  const steps = (failure?.steps ?? []).map((step) => `<li>${h(stepText(step))}</li>`).join('');
  const lines = timeline(failure?.history ?? []);
  const actors = [...new Set(lines.map((line) => line.actor))];
  const grid = lines
    .map((line) => {
      const column = actors.indexOf(line.actor) + 2;
      return `<div class="at" style="grid-column:1">${Math.round(line.at)} ms</div><div class="${line.tone}" style="grid-column:${column}">${h(line.text)}</div>`;
    })
    .join('');
  const header = `<div class="at" style="grid-column:1"><b>time</b></div>${actors.map((actor, index) => `<div style="grid-column:${index + 2}"><b>${h(actor)}</b></div>`).join('')}`;
  return `<h2 class="fail">${h(name)}</h2>
${failure?.error ? `<p class="fail">error: ${h(failure.error)}</p>` : ''}
<ul>${violations}</ul>
${suite.uncovered.length ? `<p class="fail">faults asked for that never happened: ${h(suite.uncovered.join(', '))}</p>` : ''}
${
  failure
    ? `<p>Counterexample, shrunk to ${failure.steps.length} steps:</p><ol class="steps">${steps}</ol>
<p>Replay: <code>${h(replayCommand(report, suite))}</code></p>
<div class="timeline" style="grid-template-columns:6rem repeat(${actors.length},minmax(10rem,1fr))">${header}${grid}</div>`
    : ''
}`;
}
