// The results page: sweeps, live trial states, the leaderboard with intervals, paired differences and costs, the
// spread across seeds, the answers sampled while trials trained, and two plots (accuracy vs pooling factor; accuracy
// vs a chosen cost with error bars and the Pareto front), from the scheduler's REST API only.
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

const COSTS = {
  tokens: { label: "visual tokens", of: (r) => r.visual_tokens },
  gflops: { label: "prefill GFLOPs per sample", of: (r) => (r.cost && r.cost.gflops ? r.cost.gflops.prefill : null) },
  latency: { label: "prefill latency per batch (ms)", of: (r) => (r.cost && r.cost.latency ? r.cost.latency.prefill_ms : null) },
};

/** DocVQA sweeps are scored with ANLS x 100 (the rows' metric), VQA sweeps with VQAv2 accuracy. */
function showMetricName(results) {
  const anls = results.length > 0 && results.every((r) => r.metric === "anls");
  document.querySelectorAll(".metric-name").forEach((span) => {
    span.textContent = anls ? "ANLS x 100" : (span.closest("th") ? "Accuracy" : "VQAv2 accuracy");
  });
}

async function showSweep(id, cost) {
  $("#sweeps").hidden = true;
  $("#sweep").hidden = false;
  const [sweep, results] = await Promise.all([getJson("/sweeps/" + id), getJson("/sweeps/" + id + "/results")]);
  $("#crumb").textContent = "/ " + sweep.name;
  $("#sweep-title").textContent = sweep.name + " (" + sweep.id + ")";
  const counts = Object.entries(sweep.counts).filter(([, n]) => n > 0).map(([k, n]) => n + " " + k).join(", ");
  $("#sweep-status").textContent = "Status: " + sweep.status + (sweep.status_reason ? " (" + sweep.status_reason + ")" : "")
    + ". Trials: " + counts + ". Evaluated: " + results.evaluated + ".";
  renderTrials(sweep.trials);
  showMetricName(results.results);
  renderLeaderboard(results.results);
  renderSeeds(results.results);
  plotFactor($("#plot-factor"), results.results);
  const select = $("#pareto-cost");
  select.value = cost;
  select.onchange = () => { location.hash = "#/sweeps/" + id + (select.value === "tokens" ? "" : "?cost=" + select.value); };
  plotPareto($("#plot-pareto"), results.results, cost);
  await renderSamples(sweep);
  const search = sweep.spec && sweep.spec.search;
  $("#race-section").hidden = !(search && search.strategy === "pareto_race");
  if (!$("#race-section").hidden) renderRace(await getJson("/sweeps/" + id + "/race"));
}

// The race's rungs and every decision with its evidence: who dominated whom, by how much, with the paired interval.
function renderRace(race) {
  const states = Object.entries(race.entrants).filter(([, n]) => n > 0).map(([k, n]) => n + " " + k).join(", ");
  const grid = race.grid_questions === null || race.grid_questions === undefined ? ""
    : " of the full grid's " + race.grid_questions + " (" + (100 * race.evaluated_questions / race.grid_questions).toFixed(0) + "%)";
  $("#race-summary").textContent = "Rung " + (race.rung + 1) + " of " + race.fractions.length + " (fractions "
    + race.fractions.join(", ") + ", " + (100 * race.confidence).toFixed(0) + "% confidence). Trials: " + states
    + ". Questions answered: " + race.evaluated_questions + grid + ".";
  const body = $("#race-decisions tbody");
  body.replaceChildren();
  for (const d of race.decisions) {
    const row = el("tr", { class: "race-" + d.outcome });
    row.append(cell(d.rung + 1), cell(d.questions, "num"), cell(d.trial_id), cell((d.setting || "") + " (" + (d.training || "") + ")"),
      cell(d.visual_tokens, "num"), cell(fixed(d.accuracy), "num"), cell(d.outcome),
      cell(d.dominated_by ? d.dominated_by + " " + (d.dominated_by_setting || "") : ""),
      cell(d.dominated_by ? signed(d.difference) + " [" + fixed(d.lower) + ", " + fixed(d.upper) + "]" : "", "num"));
    body.appendChild(row);
  }
}

function renderTrials(trials) {
  const body = $("#trials tbody");
  body.replaceChildren();
  for (const t of trials) {
    const row = el("tr");
    row.append(cell(t.id), cell(t.training), cell(t.setting), cell(t.status, "status-" + t.status));
    const progress = el("td");
    const fraction = t.status === "completed" ? 1 : (t.total_steps ? t.step / t.total_steps : 0);
    progress.append(bar(fraction), document.createTextNode(" " + (t.phase || "") + " " + t.step + "/" + (t.total_steps || "?")));
    row.append(progress, cell(t.loss === null || t.loss === undefined ? "" : t.loss.toFixed(3), "num"), cell(t.worker_id),
      cell(t.checkpoint_step));
    body.appendChild(row);
  }
}

// Samples of a finished trial do not change: fetched once. Training-free trials train nothing, so take none.
const finishedSamples = {};
const FINISHED = ["completed", "failed", "cancelled", "dead_lettered"];

/** What the model answered for the fixed training questions while each fine-tuned trial trained, step by step. */
async function renderSamples(sweep) {
  const every = sweep.spec && sweep.spec.train && sweep.spec.train.sample_every_n_steps;
  $("#samples-section").hidden = !every;
  if (!every) return;
  $("#samples-every").textContent = String(every);
  const trials = sweep.trials.filter((t) => t.training !== "none");
  const lists = await Promise.all(trials.map(async (t) => {
    if (finishedSamples[t.id]) return finishedSamples[t.id];
    const samples = await getJson("/trials/" + t.id + "/samples");
    if (FINISHED.includes(t.status)) finishedSamples[t.id] = samples;
    return samples;
  }));
  const body = $("#samples tbody");
  body.replaceChildren();
  trials.forEach((t, i) => {
    for (const s of lists[i]) {
      const known = s.target !== null && s.target !== undefined;
      const answer = cell(s.answer, known && s.answer === s.target ? "sample-answer sample-match" : "sample-answer");
      body.appendChild(el("tr", { class: "sample" }, [cell(t.id), cell(t.setting), cell(s.step, "num"),
        cell(s.question, "sample-text"), cell(known ? s.target : "", "sample-text"), answer]));
    }
  });
}

const fixed = (v, digits = 2) => (v === null || v === undefined ? "" : Number(v).toFixed(digits));
const signed = (v) => (v >= 0 ? "+" : "") + v.toFixed(2);

function intervalCell(value, lower, upper) {
  const td = el("td", { class: "num interval" });
  td.textContent = fixed(value) + (lower === null || lower === undefined ? "" : " [" + fixed(lower) + ", " + fixed(upper) + "]");
  return td;
}

function deltaCell(r) {
  const td = el("td", { class: "num interval" });
  const c = r.comparison;
  if (!c) {
    td.className = "note-cell";
    td.appendChild(el("span", { class: "note", text: r.comparison_note || "" }));
    return td;
  }
  td.className += " " + (c.difference < 0 ? "delta-neg" : "delta-pos");
  td.appendChild(document.createTextNode(signed(c.difference) + " [" + signed(c.lower) + ", " + signed(c.upper) + "]"));
  if (c.significant) td.appendChild(el("span", { class: "significant", text: " *", title: "the 95% interval excludes 0" }));
  td.title = "vs " + c.reference_trial_id + " over " + c.questions + " questions";
  return td;
}

function renderLeaderboard(results) {
  const body = $("#leaderboard tbody");
  body.replaceChildren();
  const sorted = [...results].sort((a, b) => b.accuracy - a.accuracy || (a.visual_tokens || 0) - (b.visual_tokens || 0));
  sorted.forEach((r, i) => {
    const row = el("tr");
    const at = r.per_answer_type || {};
    const gflops = COSTS.gflops.of(r), latency = r.cost && r.cost.latency;
    row.append(cell(i + 1, "num"), cell(r.trial_id), cell(r.training), cell(r.setting), cell(r.seed, "num"),
      cell(r.visual_tokens, "num"), cell(fixed(gflops), "num"), cell(latency ? fixed(latency.prefill_ms, 1) : "", "num"),
      cell(latency ? fixed(latency.decode_step_ms, 1) : "", "num"),
      intervalCell(r.accuracy, r.accuracy_lower, r.accuracy_upper), deltaCell(r),
      cell(fixed(at["yes/no"]), "num"), cell(fixed(at["number"]), "num"), cell(fixed(at["other"]), "num"));
    body.appendChild(row);
  });
}

function renderSeeds(results) {
  const settings = {};
  for (const r of results) {
    const key = r.training + "|" + r.setting;
    if (!settings[key]) settings[key] = r;
  }
  const several = Object.values(settings).filter((r) => r.seeds > 1);
  $("#seeds-section").hidden = several.length === 0;
  const body = $("#seeds tbody");
  body.replaceChildren();
  for (const r of several.sort((a, b) => b.seed_mean - a.seed_mean)) {
    body.appendChild(el("tr", {}, [cell(r.training), cell(r.setting), cell(r.seeds, "num"), cell(fixed(r.seed_mean), "num"),
      cell(fixed(r.seed_sd), "num")]));
  }
}

const COLOURS = ["#3b7ddd", "#e07b39", "#1a7f37", "#9c27b0", "#c62828", "#00838f", "#6d4c41", "#5c6bc0"];
const SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A scatter/line chart: series = [{name, colour, points: [{x, y, lo, hi, label, front}], line, dash, hollow, cls}],
 * log2 x when asked. A point with lo/hi gets an error bar; a point marked front gets a ring.
 */
function chart(container, series, opts) {
  container.replaceChildren();
  const W = 560, H = 320, L = 48, R = 210, T = 12, B = 36;
  const svg = svgEl("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img" });
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    svg.appendChild(svgEl("text", { x: 20, y: 40 }, opts.empty || "no evaluated trials yet"));
    container.appendChild(svg);
    return;
  }
  const fx = opts.logX ? (v) => Math.log2(v) : (v) => v;
  let x0 = Math.min(...all.map((p) => fx(p.x))), x1 = Math.max(...all.map((p) => fx(p.x)));
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  let y0 = Math.min(...all.map((p) => (p.lo === undefined || p.lo === null ? p.y : p.lo)));
  let y1 = Math.max(...all.map((p) => (p.hi === undefined || p.hi === null ? p.y : p.hi)));
  const baselines = opts.baselines || [];
  for (const b of baselines) { y0 = Math.min(y0, b.value); y1 = Math.max(y1, b.value); }
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
  const shown = ticks.length > 8 ? ticks.filter((_, i) => i % Math.ceil(ticks.length / 8) === 0) : ticks;
  for (const t of shown) svg.appendChild(svgEl("text", { x: px(t) - 6, y: H - B + 14 }, String(Math.round(t * 100) / 100)));
  svg.appendChild(svgEl("text", { x: (W - R) / 2 - 40, y: H - 4 }, opts.xLabel));
  for (const b of baselines) {
    svg.appendChild(svgEl("line", { x1: L, x2: W - R, y1: py(b.value), y2: py(b.value),
      stroke: "#555", "stroke-dasharray": "4 3", class: "baseline" }));
    svg.appendChild(svgEl("text", { x: L + 4, y: py(b.value) - 3 }, b.label));
  }
  series.forEach((s, i) => {
    const colour = s.colour || COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (s.line && pts.length > 1) {
      const attrs = { fill: "none", stroke: colour, "stroke-width": s.width || 2, class: s.lineClass || "curve",
        points: pts.map((p) => px(p.x) + "," + py(p.y)).join(" ") };
      if (s.dash) attrs["stroke-dasharray"] = "5 3";
      svg.appendChild(svgEl("polyline", attrs));
    }
    for (const p of pts) {
      if (p.lo !== undefined && p.lo !== null) {
        svg.appendChild(svgEl("line", { x1: px(p.x), x2: px(p.x), y1: py(p.lo), y2: py(p.hi), stroke: colour,
          "stroke-width": 1, class: "error-bar" }));
      }
      if (s.markers === false) continue;
      const dot = svgEl("circle", { cx: px(p.x), cy: py(p.y), r: s.radius || 4, class: "point " + (s.cls || ""),
        fill: s.hollow ? "#fff" : colour, stroke: colour, "stroke-width": 1.5 });
      dot.appendChild(svgEl("title", {}, p.label));
      svg.appendChild(dot);
      if (p.front) {
        svg.appendChild(svgEl("circle", { cx: px(p.x), cy: py(p.y), r: 8, fill: "none", stroke: "#c62828",
          "stroke-width": 1.5, class: "front" }));
      }
    }
    if (s.name) {
      const y = T + 16 * i;
      const key = svgEl("line", { x1: W - R + 4, x2: W - R + 18, y1: y + 5, y2: y + 5, stroke: colour, "stroke-width": 2 });
      if (s.dash) key.setAttribute("stroke-dasharray", "5 3");
      svg.appendChild(key);
      svg.appendChild(svgEl("text", { x: W - R + 22, y: y + 9 }, s.name));
    }
  });
  container.appendChild(svg);
}

function plotFactor(container, results) {
  const groups = {};
  for (const r of results) {
    if (r.mode === "none" || r.factor === null || r.factor === undefined) continue;
    const key = r.mode + " stage " + r.stage + (r.sorted ? " sorted" : "") + (r.training === "none" ? " (training-free)" : "");
    (groups[key] = groups[key] || []).push({ x: r.factor, y: r.accuracy, lo: r.accuracy_lower, hi: r.accuracy_upper,
      label: key + " f=" + r.factor + ": " + r.accuracy.toFixed(2) });
  }
  const series = Object.keys(groups).sort().map((name) => {
    const free = name.endsWith("(training-free)");
    return { name, points: groups[name], line: true, dash: free, hollow: free };
  });
  const baselines = [];
  for (const [training, label] of [["fine_tune", "none (baseline)"], ["none", "none, training-free"]]) {
    const none = results.filter((r) => r.mode === "none" && r.training === training);
    if (none.length) baselines.push({ value: none.reduce((s, r) => s + r.accuracy, 0) / none.length, label });
  }
  chart(container, series, { xLabel: "pooling factor", logX: true, baselines });
}

/** Accuracy against a cost: a curve per method and training, error bars, and the front from the results' on_front. */
function plotPareto(container, results, cost) {
  const of = COSTS[cost].of;
  const curves = {};
  const front = [];
  for (const r of results) {
    const x = of(r);
    if (x === null || x === undefined) continue;
    const onFront = !!(r.on_front && r.on_front[cost]);
    const p = { x, y: r.accuracy, lo: r.accuracy_lower, hi: r.accuracy_upper, front: onFront,
      label: r.training + " " + r.setting + " seed " + r.seed + ": " + fixed(x) + " " + COSTS[cost].label + ", "
        + r.accuracy.toFixed(2) + (onFront ? " (on the Pareto front)" : "") };
    const key = r.mode + (r.training === "none" ? " (training-free)" : "");
    (curves[key] = curves[key] || { mode: r.mode, training: r.training, points: [] }).points.push(p);
    if (onFront) front.push(p);
  }
  const modes = [...new Set(Object.values(curves).map((c) => c.mode))].sort();
  const series = Object.keys(curves).sort().map((name) => {
    const c = curves[name];
    const free = c.training === "none";
    return { name, points: c.points, line: true, dash: free, hollow: free,
      colour: COLOURS[modes.indexOf(c.mode) % COLOURS.length], cls: free ? "training-free" : "fine-tuned" };
  });
  series.push({ name: "Pareto front", points: front.map((p) => ({ x: p.x, y: p.y, label: p.label })), line: true,
    markers: false, colour: "#c62828", width: 1, lineClass: "front-line" });
  chart(container, series, { xLabel: COSTS[cost].label, logX: false,
    empty: "no evaluated trial has a " + COSTS[cost].label + " cost yet" });
}

async function route() {
  clearTimeout(timer);
  const m = location.hash.match(/^#\/sweeps\/([A-Za-z0-9._-]+)(?:\?cost=(tokens|gflops|latency))?$/);
  try {
    if (m) await showSweep(m[1], m[2] || "tokens"); else await showSweeps();
  } catch (e) {
    $("#crumb").textContent = " (" + e.message + ")";
  }
  timer = setTimeout(route, REFRESH_MS);
}

$("#home").addEventListener("click", (e) => { e.preventDefault(); location.hash = ""; });
window.addEventListener("hashchange", route);
route();
