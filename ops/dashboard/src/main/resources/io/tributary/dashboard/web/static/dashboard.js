// The live page: one uPlot line chart per aggregate (x: bucket start, one series per group value,
// y: the aggregate's first measure), filled from /api/aggregates and kept current by /api/stream.
// window.__chartData[name] = {x, series: {group: [y...]}, measure, updatedAt} after every redraw.
"use strict";
const state = { aggregates: {}, charts: {}, zone: "UTC" };
window.__chartData = {};

function keyOf(agg, row) {
  return [row.bucket_start].concat(agg.groups.map(g => row[g])).join("|");
}

/** The start of the picked time range in epoch seconds, or null for everything. */
function rangeFrom() {
  const range = Number(document.getElementById("range").value);
  return range ? Date.now() / 1000 - range : null;
}

function rowsIn(agg) {
  const from = rangeFrom();
  return Object.values(agg.rows).filter(r => from === null || Date.parse(r.bucket_start) / 1000 >= from);
}

/** The x axis: the picked range up to now (everything: the buckets' span, at least two hours). */
function xRange(u, min, max) {
  const from = rangeFrom();
  if (from !== null) { return [from, Date.now() / 1000]; }
  return min === max || min == null ? [(min || Date.now() / 1000) - 3600, (max || Date.now() / 1000) + 3600] : [min, max];
}

function draw(name) {
  const agg = state.aggregates[name];
  const measure = agg.measures[0];
  const rows = rowsIn(agg);
  const xs = [...new Set(rows.map(r => Date.parse(r.bucket_start) / 1000))].sort((a, b) => a - b);
  const groups = [...new Set(rows.map(r => agg.groups.map(g => r[g]).join(" / ")))].sort();
  const series = {};
  groups.forEach(g => { series[g] = xs.map(() => null); });
  rows.forEach(r => {
    const g = agg.groups.map(c => r[c]).join(" / ");
    series[g][xs.indexOf(Date.parse(r.bucket_start) / 1000)] = Number(r[measure]);
  });
  const data = [xs].concat(groups.map(g => series[g]));
  window.__chartData[name] = { x: xs, series, measure, updatedAt: Date.now() };
  let section = document.getElementById("chart-" + name);
  if (!section) {
    section = document.createElement("section");
    section.className = "chart";
    section.id = "chart-" + name;
    const h = document.createElement("h2");
    h.textContent = name + " (" + measure + ")";
    section.appendChild(h);
    document.getElementById("charts").appendChild(section);
  }
  const old = state.charts[name];
  const sameSeries = old && old.groups.join("\n") === groups.join("\n");
  if (sameSeries) {
    old.plot.setData(data);
    return;
  }
  if (old) old.plot.destroy();
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  const opts = {
    width: Math.min(1100, window.innerWidth - 60), height: 280,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), state.zone),
    scales: { x: { time: true, range: xRange } },
    series: [{}].concat(groups.map((g, i) => ({ label: g, stroke: palette[i % palette.length], width: 2, points: { show: true } }))),
  };
  state.charts[name] = { plot: new uPlot(opts, data, section), groups };
}

function drawAll() {
  Object.keys(state.aggregates).sort().forEach(draw);
}

function applyChanges(changes) {
  const touched = new Set();
  changes.forEach(c => {
    if (!state.aggregates[c.aggregate] && c.measures.length > 0) { // its first row since the page loaded
      state.aggregates[c.aggregate] = { groups: c.groups, measures: c.measures, rows: {} };
    }
    const agg = state.aggregates[c.aggregate];
    if (!agg) { return; }
    const k = [c.key.bucket_start].concat(agg.groups.map(g => c.key[g])).join("|");
    if (c.row) { agg.rows[k] = c.row; } else { delete agg.rows[k]; }
    touched.add(c.aggregate);
  });
  touched.forEach(draw);
}

// The rows as of now. Called on each (re)connection of the stream, after the server said hello: every
// change from then on arrives on the stream, so changes received while this loads are applied after it.
async function loadSnapshot() {
  const all = await (await fetch("/api/aggregates")).json();
  state.aggregates = {};
  Object.entries(all).forEach(([name, agg]) => {
    const rows = {};
    agg.rows.forEach(r => { rows[keyOf(agg, r)] = r; });
    state.aggregates[name] = { groups: agg.groups, measures: agg.measures, rows };
  });
  drawAll();
}

async function load() {
  const config = await fetch("/api/config");
  if (config.status === 401) { location.href = "/login"; return; }
  state.zone = (await config.json()).displayZone;
  const status = document.getElementById("status");
  let buffered = null;
  const stream = new EventSource("/api/stream");
  stream.addEventListener("hello", async () => {
    buffered = [];
    await loadSnapshot();
    const pending = buffered;
    buffered = null;
    applyChanges(pending);
    status.textContent = "live";
  });
  stream.addEventListener("changes", e => {
    const changes = JSON.parse(e.data).changes;
    if (buffered) { buffered.push(...changes); } else { applyChanges(changes); }
  });
  stream.onerror = () => {
    status.textContent = "reconnecting…";
    if (stream.readyState === EventSource.CLOSED) { location.href = "/login"; } // 401: the session ended
  };
}

document.getElementById("range").addEventListener("change", () => {
  Object.values(state.charts).forEach(c => c.plot.destroy());
  state.charts = {};
  drawAll();
});
load();
