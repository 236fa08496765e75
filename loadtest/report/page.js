/*
 * The report page's script (browser JavaScript, inlined into report.html next to uPlot and the report's data):
 * for every scenario, latency over time, latency by percentile and throughput against the contract's target.
 * Each chart it draws is listed in window.eventwirePlots (id, series, points) so a test can check what rendered.
 */
/* global uPlot */
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const plots = [];
  window.eventwirePlots = plots;
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  const width = () => Math.min(900, document.body.clientWidth - 40);

  function chart(container, id, title, xLabel, yLabel, x, series, options) {
    const box = document.createElement('div');
    box.className = 'plot';
    box.id = id;
    container.appendChild(box);
    const points = series.reduce(
      (n, s) => n + s.values.filter((v) => v !== null && v !== undefined).length,
      0,
    );
    const plot = new uPlot(
      {
        title,
        width: width(),
        height: 260,
        scales: { x: { time: false, ...(options?.xScale ?? {}) }, y: options?.yScale ?? {} },
        axes: [
          { label: xLabel, ...(options?.xAxis ?? {}) },
          { label: yLabel, size: 60 },
        ],
        series: [
          { label: xLabel, ...(options?.xSeries ?? {}) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color ?? colors[i % colors.length],
            width: s.dash ? 1 : 2,
            dash: s.dash,
            spanGaps: true,
          })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      box,
    );
    plots.push({ id, title, series: series.length, points, canvas: plot.ctx.canvas.width > 0 });
  }

  /** -log10(1 - p): 90 % -> 1, 99 % -> 2, 99.9 % -> 3, so the tail gets room. */
  const nines = (percentile) => (percentile >= 100 ? 5 : -Math.log10(1 - percentile / 100));
  const percentileAxis = {
    xAxis: {
      values: (_u, ticks) => ticks.map((t) => `${Number((100 * (1 - 10 ** -t)).toFixed(3))}%`),
    },
    xSeries: { value: (_u, v) => (v === null ? '' : `${Number((100 * (1 - 10 ** -v)).toFixed(3))}%`) },
  };

  const root = document.getElementById('plots');
  data.runs.forEach((run, r) => {
    run.scenarios.forEach((scenario, s) => {
      const section = document.createElement('section');
      section.className = 'scenario';
      const heading = document.createElement('h3');
      heading.textContent = `${scenario.name} (${scenario.service}, ${scenario.phase})`;
      section.appendChild(heading);
      root.appendChild(section);
      const key = `r${r}s${s}`;
      const seconds = scenario.series.map((p) => p.second);
      chart(section, `${key}-latency`, 'Latency over time (ms)', 'second', 'ms', seconds, [
        { label: 'publish p50', values: scenario.series.map((p) => p.publishP50 ?? null) },
        { label: 'publish p95', values: scenario.series.map((p) => p.publishP95 ?? null) },
        { label: 'publish p99', values: scenario.series.map((p) => p.publishP99 ?? null) },
        { label: 'publish -> handled p95', values: scenario.series.map((p) => p.endToEndP95 ?? null) },
      ]);
      const curves = [{ label: 'publish', curve: scenario.publish.curve }];
      for (const sub of scenario.subscribers) {
        curves.push({ label: `${sub.name} processing`, curve: sub.processingCurve });
        curves.push({ label: `${sub.name} publish -> handled`, curve: sub.endToEndCurve, dash: [4, 4] });
      }
      const withData = curves.filter((c) => c.curve.length > 0);
      const x = (withData[0]?.curve ?? []).map((p) => nines(p.percentile));
      chart(
        section,
        `${key}-percentiles`,
        'Latency by percentile (ms)',
        'percentile',
        'ms',
        x,
        withData.map((c) => ({ label: c.label, values: c.curve.map((p) => p.ms), dash: c.dash })),
        { ...percentileAxis, yScale: { distr: 3 } },
      );
      chart(section, `${key}-throughput`, 'Throughput vs target (events/s)', 'second', 'events/s', seconds, [
        { label: 'sent', values: scenario.series.map((p) => p.sent) },
        { label: 'handled (all subscriptions)', values: scenario.series.map((p) => p.handled) },
        { label: 'dropped', values: scenario.series.map((p) => p.dropped) },
        {
          label: 'target',
          values: seconds.map(() => scenario.target.perSecond),
          color: '#555',
          dash: [6, 4],
        },
      ]);
    });
  });
  document.body.dataset.plotted = String(plots.length);
})();
