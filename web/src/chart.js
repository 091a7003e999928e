// ECharts, tree-shaken to what the pages draw (stacked areas and lines on a time axis), themed from the
// page's CSS colours and redrawn when the theme changes. Imported only by the pages with charts.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { cssVar, el, markDrawn, onThemeChange } from './common.js';

echarts.use([LineChart, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

const charts = new Set();

function themeColors() {
  return { fg: cssVar('--fg'), muted: cssVar('--muted'), line: cssVar('--line'), bg: cssVar('--bg') };
}

// ECharts stacks series point by point in data order, not by time: a series starting later (a repo created
// in April) would be stacked on the others' first weeks. Stacked series therefore share every time any of
// them has, with 0 where one has no point (before its first week: nothing yet).
function alignedForStack(series) {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  return series.map((s) => {
    const values = new Map(s.points);
    return { ...s, points: times.map((t) => [t, values.get(t) ?? 0]) };
  });
}

// The shading over a period that is not over yet (its counts are still growing), to the end of the axis.
function partialArea(partial, c) {
  return { silent: true, itemStyle: { color: c.line, opacity: 0.45 },
    label: { show: true, position: 'insideTopRight', color: c.muted, fontSize: 11, formatter: partial.label },
    data: [[{ xAxis: partial.from }, { xAxis: 'max' }]] };
}

function phone() {
  return window.matchMedia('(max-width: 600px)').matches;
}

/**
 * A chart in `container` (its height is reserved by CSS). `series`: [{name, color, points: [[time ms, value]]}].
 * Options: `stack` (stacked areas), `legend` (false hides it), `selected` (name -> bool, legend state),
 * `onLegend(selected)` (called when the user toggles a series), `label` (for screen readers),
 * `minInterval` (ms between axis ticks at least: a monthly chart labels months, not days),
 * `partial: {from, label}` (the last period is not over: shaded from `from` (time ms) on, and labelled).
 */
export function drawChart(container, series, options = {}) {
  let chart = echarts.getInstanceByDom(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    charts.add(chart);
    chart.on('legendselectchanged', (event) => {
      if (container._onLegend) container._onLegend(event.selected);
    });
  }
  container._onLegend = options.onLegend;
  // What is drawn, for tests and curious readers: series and points (shown series only).
  const visible = series.filter((s) => !options.selected || options.selected[s.name] !== false);
  container.dataset.series = String(visible.length);
  container.dataset.points = String(visible.reduce((n, s) => n + s.points.length, 0));
  container._last = [series, options];
  container._chart = chart;  // for tests: what ECharts was given (getOption())
  const drawn = options.stack ? alignedForStack(series) : series;
  const c = themeColors();
  const small = phone();
  const empty = series.length === 0 || series.every((s) => s.points.length === 0);
  chart.setOption({
    animation: false,
    aria: { enabled: true, label: { description: options.label || '' } },
    textStyle: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', color: c.fg },
    color: series.map((s) => s.color),
    grid: { left: small ? 44 : 64, right: small ? 12 : 24, top: options.legend === false ? 16 : (small ? 56 : 48), bottom: 32 },
    legend: options.legend === false ? { show: false } : {
      type: 'scroll', top: 0, left: 0, right: 0, textStyle: { color: c.fg, fontSize: small ? 11 : 12 },
      pageTextStyle: { color: c.fg }, pageIconColor: c.fg, inactiveColor: c.muted, selected: options.selected || {},
      itemWidth: 14, itemHeight: 10, icon: 'roundRect',
    },
    tooltip: { trigger: 'axis', confine: true, order: 'valueDesc', backgroundColor: c.bg, borderColor: c.line, textStyle: { color: c.fg, fontSize: 12 },
      valueFormatter: (v) => (v === null || v === undefined ? '' : Number(v).toLocaleString('en-US')) },
    xAxis: { type: 'time', minInterval: options.minInterval, axisLine: { lineStyle: { color: c.muted } }, axisLabel: { color: c.fg, fontSize: small ? 10 : 12, hideOverlap: true },
      splitLine: { show: false } },
    yAxis: { type: 'value', axisLabel: { color: c.fg, fontSize: small ? 10 : 12 }, splitLine: { lineStyle: { color: c.line } } },
    graphic: empty ? [{ type: 'text', left: 'center', top: 'middle', style: { text: 'no data in this range', fill: c.muted, fontSize: 14 } }] : [],
    series: drawn.map((s, i) => ({
      name: s.name, type: 'line', showSymbol: false, smooth: false, stack: options.stack ? 'total' : undefined,
      areaStyle: options.stack || options.area ? { opacity: 0.85 } : undefined, lineStyle: { width: options.stack ? 0.5 : 1.5 },
      emphasis: { focus: 'series' }, data: s.points, color: s.color,
      markArea: i === 0 && options.partial ? partialArea(options.partial, c) : undefined,
    })),
  }, { notMerge: true });
  if (!empty) markDrawn();
  return chart;
}

/** Redraws every chart with the current theme's colours. */
function redrawAll() {
  for (const chart of charts) {
    const container = chart.getDom();
    if (container._last) drawChart(container, ...container._last);
  }
}
onThemeChange(redrawAll);
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { for (const chart of charts) chart.resize(); redrawAll(); }, 100);
});

/** Shows a placeholder text inside a chart's reserved box. */
export function chartMessage(container, text) {
  const chart = echarts.getInstanceByDom(container);
  if (chart) { chart.dispose(); charts.delete(chart); }
  container.replaceChildren(el('p', { class: 'chart-empty', text }));
}
