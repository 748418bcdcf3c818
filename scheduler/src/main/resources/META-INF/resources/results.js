// The results page: sweeps, live trial states, leaderboard and two plots, from the scheduler's REST API only.
// Plain DOM and SVG, no libraries: the page must work offline and without Grafana.
"use strict";

const $ = (sel) => document.querySelector(sel);
const REFRESH_MS = 2000;
let timer = null;

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.appendChild(c);
  return node;
}

function cell(text, cls) {
  const td = el("td", { text: text === null || text === undefined ? "" : String(text) });
  if (cls) td.className = cls;
  return td;
}

function bar(fraction) {
  const outer = el("span", { class: "bar" });
  const inner = el("span");
  inner.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(0) + "%";
  outer.appendChild(inner);
  return outer;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(path + " answered " + response.status);
  return response.json();
}

async function showSweeps() {
  $("#sweep").hidden = true;
  $("#sweeps").hidden = false;
  $("#crumb").textContent = "";
  const sweeps = await getJson("/sweeps");
  const body = $("#sweep-table tbody");
  body.replaceChildren();
  $("#sweeps .empty").hidden = sweeps.length > 0;
  for (const s of sweeps) {
    const done = (s.counts.completed || 0) + (s.counts.failed || 0) + (s.counts.cancelled || 0);
    const row = el("tr", { class: "clickable" });
    row.append(cell(s.id), cell(s.name), cell(s.status, "status-" + s.status), cell(s.trials, "num"));
    const progress = el("td");
    progress.append(bar(s.trials ? done / s.trials : 0), document.createTextNode(" " + done + "/" + s.trials));
    row.append(progress, cell(new Date(s.created_at).toLocaleString()));
    row.addEventListener("click", () => { location.hash = "#/sweeps/" + s.id; });
    body.appendChild(row);
  }
}

async function showSweep(id) {
  $("#sweeps").hidden = true;
  $("#sweep").hidden = false;
  const [sweep, results] = await Promise.all([getJson("/sweeps/" + id), getJson("/sweeps/" + id + "/results")]);
  $("#crumb").textContent = "/ " + sweep.name;
  $("#sweep-title").textContent = sweep.name + " (" + sweep.id + ")";
  const counts = Object.entries(sweep.counts).filter(([, n]) => n > 0).map(([k, n]) => n + " " + k).join(", ");
  $("#sweep-status").textContent = "Status: " + sweep.status + (sweep.status_reason ? " (" + sweep.status_reason + ")" : "")
    + ". Trials: " + counts + ". Evaluated: " + results.evaluated + ".";
  renderTrials(sweep.trials);
  renderLeaderboard(results.results);
  plotFactor($("#plot-factor"), results.results);
  plotPareto($("#plot-pareto"), results.results);
}

function renderTrials(trials) {
  const body = $("#trials tbody");
  body.replaceChildren();
  for (const t of trials) {
    const row = el("tr");
    row.append(cell(t.id), cell(t.mode), cell(t.factor), cell(t.stage), cell(t.sorted), cell(t.status, "status-" + t.status));
    const progress = el("td");
    const fraction = t.status === "completed" ? 1 : (t.total_steps ? t.step / t.total_steps : 0);
    progress.append(bar(fraction), document.createTextNode(" " + (t.phase || "") + " " + t.step + "/" + (t.total_steps || "?")));
    row.append(progress, cell(t.loss === null || t.loss === undefined ? "" : t.loss.toFixed(3), "num"), cell(t.worker_id),
      cell(t.checkpoint_step));
    body.appendChild(row);
  }
}

function baselines(results) {
  const bySeed = {};
  for (const r of results) if (r.mode === "none") bySeed[r.seed] = r.accuracy;
  return bySeed;
}

function renderLeaderboard(results) {
  const body = $("#leaderboard tbody");
  body.replaceChildren();
  const base = baselines(results);
  const sorted = [...results].sort((a, b) => b.accuracy - a.accuracy || (a.visual_tokens || 0) - (b.visual_tokens || 0));
  sorted.forEach((r, i) => {
    const row = el("tr");
    const delta = base[r.seed] === undefined ? null : r.accuracy - base[r.seed];
    const at = r.per_answer_type || {};
    row.append(cell(i + 1, "num"), cell(r.trial_id), cell(r.mode), cell(r.factor), cell(r.stage), cell(r.sorted), cell(r.seed, "num"),
      cell(r.visual_tokens, "num"), cell(r.accuracy.toFixed(2), "num"),
      cell(delta === null ? "" : (delta >= 0 ? "+" : "") + delta.toFixed(2), "num " + (delta < 0 ? "delta-neg" : "delta-pos")),
      cell(at["yes/no"] === undefined ? "" : at["yes/no"].toFixed(2), "num"),
      cell(at["number"] === undefined ? "" : at["number"].toFixed(2), "num"),
      cell(at["other"] === undefined ? "" : at["other"].toFixed(2), "num"));
    body.appendChild(row);
  });
}

const COLOURS = ["#3b7ddd", "#e07b39", "#1a7f37", "#9c27b0", "#c62828", "#00838f", "#6d4c41", "#5c6bc0"];
const SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A scatter/line chart: series = [{name, colour, points: [{x, y, label}], line}], log2 x when asked. */
function chart(container, series, opts) {
  container.replaceChildren();
  const W = 460, H = 300, L = 48, R = 150, T = 12, B = 36;
  const svg = svgEl("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img" });
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    svg.appendChild(svgEl("text", { x: 20, y: 40 }, "no evaluated trials yet"));
    container.appendChild(svg);
    return;
  }
  const fx = opts.logX ? (v) => Math.log2(v) : (v) => v;
  let x0 = Math.min(...all.map((p) => fx(p.x))), x1 = Math.max(...all.map((p) => fx(p.x)));
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  let y0 = Math.min(...all.map((p) => p.y)), y1 = Math.max(...all.map((p) => p.y));
  if (opts.baseline !== undefined) { y0 = Math.min(y0, opts.baseline); y1 = Math.max(y1, opts.baseline); }
  const pad = Math.max(1, (y1 - y0) * 0.1);
  y0 = Math.max(0, y0 - pad); y1 = Math.min(100, y1 + pad);
  const px = (v) => L + (fx(v) - x0) / (x1 - x0) * (W - L - R);
  const py = (v) => H - B - (v - y0) / (y1 - y0) * (H - T - B);
  svg.appendChild(svgEl("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
  svg.appendChild(svgEl("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  for (let i = 0; i <= 4; i++) {
    const v = y0 + (y1 - y0) * i / 4;
    svg.appendChild(svgEl("text", { x: 4, y: py(v) + 4 }, v.toFixed(1)));
  }
  const ticks = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  for (const t of ticks) svg.appendChild(svgEl("text", { x: px(t) - 6, y: H - B + 14 }, String(t)));
  svg.appendChild(svgEl("text", { x: (W - R) / 2, y: H - 4 }, opts.xLabel));
  if (opts.baseline !== undefined) {
    svg.appendChild(svgEl("line", { x1: L, x2: W - R, y1: py(opts.baseline), y2: py(opts.baseline),
      stroke: "#555", "stroke-dasharray": "4 3" }));
    svg.appendChild(svgEl("text", { x: W - R + 4, y: py(opts.baseline) + 4 }, "none (baseline)"));
  }
  series.forEach((s, i) => {
    const colour = s.colour || COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (s.line && pts.length > 1) {
      svg.appendChild(svgEl("polyline", { fill: "none", stroke: colour, "stroke-width": 2,
        points: pts.map((p) => px(p.x) + "," + py(p.y)).join(" ") }));
    }
    for (const p of pts) {
      const dot = svgEl("circle", { cx: px(p.x), cy: py(p.y), r: s.radius || 4, fill: colour, class: "point" });
      dot.appendChild(svgEl("title", {}, p.label));
      svg.appendChild(dot);
    }
    svg.appendChild(svgEl("rect", { x: W - R + 4, y: T + 16 * i, width: 10, height: 10, fill: colour }));
    svg.appendChild(svgEl("text", { x: W - R + 18, y: T + 9 + 16 * i }, s.name));
  });
  container.appendChild(svg);
}

function plotFactor(container, results) {
  const groups = {};
  for (const r of results) {
    if (r.mode === "none") continue;
    const key = r.mode + " stage " + r.stage + (r.sorted ? " sorted" : "");
    (groups[key] = groups[key] || []).push({ x: r.factor, y: r.accuracy, label: key + " f=" + r.factor + ": " + r.accuracy.toFixed(2) });
  }
  const series = Object.keys(groups).sort().map((name) => ({ name, points: groups[name], line: true }));
  const none = results.filter((r) => r.mode === "none");
  const baseline = none.length ? none.reduce((s, r) => s + r.accuracy, 0) / none.length : undefined;
  chart(container, series, { xLabel: "pooling factor", logX: true, baseline });
}

function plotPareto(container, results) {
  const points = results.filter((r) => r.visual_tokens).map((r) => ({ x: r.visual_tokens, y: r.accuracy,
    label: r.mode + (r.factor ? " f=" + r.factor + " stage " + r.stage : "") + ": " + r.visual_tokens + " tokens, " + r.accuracy.toFixed(2) }));
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const front = [];
  let best = -Infinity;
  for (const p of sorted) if (p.y > best) { front.push(p); best = p.y; }
  chart(container, [
    { name: "trials", points, colour: "#9aa5b1" },
    { name: "Pareto front", points: front, line: true, colour: "#c62828", radius: 5 },
  ], { xLabel: "visual tokens kept", logX: false });
}

async function route() {
  clearTimeout(timer);
  const m = location.hash.match(/^#\/sweeps\/([A-Za-z0-9._-]+)$/);
  try {
    if (m) await showSweep(m[1]); else await showSweeps();
  } catch (e) {
    $("#crumb").textContent = " (" + e.message + ")";
  }
  timer = setTimeout(route, REFRESH_MS);
}

$("#home").addEventListener("click", (e) => { e.preventDefault(); location.hash = ""; });
window.addEventListener("hashchange", route);
route();
