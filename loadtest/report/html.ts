/**
 * report.html: one self-contained page (no network: uPlot, its CSS, the data and the drawing script are inline)
 * with the verdict, every threshold, and per scenario latency over time, latency by percentile and throughput
 * against the contract's target (drawn by page.js).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadReport, ThresholdReport } from './model.ts';

const require = createRequire(import.meta.url);
const asset = (path: string) => readFileSync(require.resolve(path), 'utf8');
const pageScript = () => readFileSync(new URL('./page.js', import.meta.url), 'utf8');

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const text = (value: string | number) => String(value).replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
/** JSON inside <script>: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function thresholdRow(t: ThresholdReport): string {
  return (
    `<tr class="${t.passed ? 'held' : 'missed'}"><td>${t.passed ? 'held' : 'MISSED'}</td>` +
    `<td>${text(t.operation)}</td><td>${text(t.phase)}</td><td>${text(t.description)}</td>` +
    `<td>${text(t.summary)}</td></tr>`
  );
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 20px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 20px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
tr.missed td { background: #fde2e1; }
tr.held td:first-child { color: #2a7d2a; }
.verdict { font-size: 20px; font-weight: 600; }
.verdict.pass { color: #2a7d2a; } .verdict.fail { color: #b3261e; }
.plot { margin: 8px 0 16px; }
.notes { color: #555; }
`;

export function reportHtml(report: LoadReport): string {
  const runs = report.runs
    .map((run) => {
      const scenarios = run.scenarios
        .map(
          (s) =>
            `<tr><td>${text(s.name)}</td><td>${s.target.perSecond.toFixed(2)}/s</td>` +
            `<td>${s.achievedPerSecond.toFixed(2)}/s</td><td>${s.publish.ok}/${s.plannedEvents}</td>` +
            `<td>${s.publish.failed}</td><td>${s.publish.dropped}</td><td>${s.publish.latency.p95 ?? '-'} ms</td>` +
            `<td class="notes">${s.notes.map(text).join('<br>')}</td></tr>`,
        )
        .join('');
      return (
        `<h2>${text(run.transport)}: ${run.brokers.map(text).join('; ')}</h2>` +
        `<p>${run.workers} load worker(s), ${(run.wallMs / 1000).toFixed(1)} s, ` +
        `${run.drained ? 'consumers drained' : 'consumers had not drained at the end'}</p>` +
        (run.notes.length > 0 ? `<p class="notes">${run.notes.map(text).join('<br>')}</p>` : '') +
        '<table><tr><th>threshold</th><th>operation</th><th>phase</th><th>target</th><th>measured</th></tr>' +
        run.thresholds.map(thresholdRow).join('') +
        '</table><table><tr><th>scenario</th><th>target</th><th>achieved</th><th>sent</th><th>failed</th>' +
        `<th>dropped</th><th>publish p95</th><th>notes</th></tr>${scenarios}</table>`
      );
    })
    .join('');
  const verdict = report.passed ? 'PASS: every threshold holds' : 'FAIL: thresholds missed';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>eventwire load report (${text(report.profile)})</title>
<style>${asset('uplot/dist/uPlot.min.css')}${STYLE}</style></head>
<body>
<h1>eventwire load: ${text(report.profile)} profile, ${text(report.engine)} engine</h1>
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${verdict}</p>
${runs}
<div id="plots"></div>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script>${asset('uplot/dist/uPlot.iife.min.js')}</script>
<script>${pageScript()}</script>
</body></html>
`;
}
