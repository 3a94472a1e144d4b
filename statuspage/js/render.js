/*
 * Builds the page's DOM. Every stored string (title, endpoint, error, notice) goes in with
 * textContent; only messages posted with `checkup message` are rendered as HTML, and only after
 * DOMPurify has kept a small allow-list of tags and http(s)/mailto links. The uptime bars and
 * the response-time chart are SVG built the same way.
 */

export const LABEL = { h: "Healthy", d: "Degraded", x: "Down", u: "Unknown", m: "Message" };
export const ICON = { h: "✓", d: "!", x: "✕", u: "?", m: "✎" };
export const CLASS = { h: "healthy", d: "degraded", x: "down", u: "unknown", m: "message" };

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** "5 min": how long since `ms`, short, English, and the same on every machine (tests read it). */
export function elapsed(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** "5 min ago", "just now" under 10 s. */
export const ago = (ms, now = Date.now()) => (now - ms < 9_500 ? "just now" : `${elapsed(ms, now)} ago`);

/** What a <time data-ms> shows: "5 min ago", or with data-elapsed "5 min". */
export const timeText = (t, now = Date.now()) => ("elapsed" in t.dataset ? elapsed : ago)(Number(t.dataset.ms), now);

/** A relative time that main.js keeps current; the exact time is in the tooltip. `since`: "5 min" instead of "5 min ago". */
export function timeEl(ms, { since = false } = {}) {
  const t = el("time", { datetime: new Date(ms).toISOString(), title: new Date(ms).toLocaleString(), "data-ms": String(ms), "data-elapsed": since ? "" : undefined });
  t.textContent = timeText(t);
  return t;
}

export function badge(code) {
  return el("span", { class: `badge ${CLASS[code]}` }, el("span", { class: "icon", "aria-hidden": "true" }, ICON[code]), ` ${LABEL[code]}`);
}

/** Only http(s) endpoints become links; anything else (host:port, commands) stays text. */
function endpointEl(endpoint) {
  if (/^https?:\/\//i.test(endpoint)) return el("a", { class: "endpoint", href: endpoint, rel: "noopener noreferrer" }, endpoint);
  return el("span", { class: "endpoint" }, endpoint);
}

let purifying;
/** DOMPurify is loaded only when a message is shown, so most page loads skip its 30 kB. */
export function loadPurify() {
  purifying ??= new Promise((resolve, reject) => {
    if (window.DOMPurify) return resolve(window.DOMPurify);
    const s = el("script", { src: "js/vendor/purify.min.js" });
    s.onload = () => resolve(window.DOMPurify);
    s.onerror = () => reject(new Error("could not load js/vendor/purify.min.js"));
    document.head.append(s);
  });
  return purifying;
}

const MESSAGE_POLICY = {
  ALLOWED_TAGS: ["a", "b", "strong", "i", "em", "code", "pre", "br", "p", "ul", "ol", "li", "span"],
  ALLOWED_ATTR: ["href", "title"],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  RETURN_DOM_FRAGMENT: true,
};

/** A message as sanitized HTML, or as plain text if the sanitizer is unavailable. */
export function messageEl(text, purify) {
  const box = el("div", { class: "message-body" });
  if (!purify) {
    box.textContent = text;
    return box;
  }
  const fragment = purify.sanitize(text, MESSAGE_POLICY);
  for (const a of fragment.querySelectorAll("a")) a.setAttribute("rel", "noopener noreferrer nofollow");
  box.append(fragment);
  return box;
}

export function eventEl(ev, check, purify) {
  const body = ev.kind === "m"
    ? messageEl(ev.text, purify)
    : el("p", { class: "event-text" }, `${check.title || check.endpoint} is ${LABEL[ev.kind].toLowerCase()}`, ev.text ? el("span", { class: "detail" }, `: ${ev.text}`) : undefined);
  return el("li", { class: `event ${CLASS[ev.kind]}` }, badge(ev.kind), " ", timeEl(ev.t), body);
}

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const DAY_MS = 86_400_000;
const dateOf = (ms, step) => new Date(ms).toISOString().slice(0, step < DAY_MS ? 13 : 10).replace("T", " ") + (step < DAY_MS ? ":00 UTC" : "");

/** What a bar's tooltip says: its date, uptime, downtime and outages, in words. */
export function barText(bar, step) {
  if (bar.total === 0) return [`${dateOf(bar.start, step)}: no data`];
  const lines = [`${dateOf(bar.start, step)}: ${LABEL[bar.worst]}, ${bar.uptime}% up, ${bar.downMinutes} min down`];
  for (const o of bar.outages) lines.push(`${LABEL[o.worst]} ${new Date(o.start).toISOString().slice(11, 16)}–${o.end ? new Date(o.end).toISOString().slice(11, 16) : "ongoing"} UTC${o.texts[0] ? `: ${o.texts[0]}` : ""}`);
  return lines;
}

/**
 * Uptime bars: one per UTC day (or hour), coloured by its worst status and marked by shape too
 * (down: a full-height notch, degraded: a dot, no data: a low grey stub). Hover, tap or the arrow
 * keys show a bar's figures in the card's tooltip line.
 */
export function barsEl(c) {
  const { step, list } = c.bars;
  const w = 600 / list.length;
  const root = svg("svg", { class: "bars", viewBox: `0 0 600 34`, preserveAspectRatio: "none", "aria-hidden": "true" });
  list.forEach((bar, i) => {
    const x = (i * w + 0.5).toFixed(1);
    const code = bar.total === 0 ? "none" : CLASS[bar.worst];
    root.append(svg("rect", { class: `bar ${code}`, x, y: bar.total === 0 ? 22 : 2, width: Math.max(1, w - 1).toFixed(1), height: bar.total === 0 ? 8 : 28, "data-i": i }));
    if (bar.worst === "x" || bar.worst === "u") root.append(svg("rect", { class: "mark", x, y: 14, width: Math.max(1, w - 1).toFixed(1), height: 4 }));
    else if (bar.worst === "d") root.append(svg("circle", { class: "mark", cx: (i * w + w / 2).toFixed(1), cy: 16, r: Math.min(2, w / 3).toFixed(1) }));
  });
  const tip = el("p", { class: "bar-tip", "aria-live": "polite" });
  const span = list.length > 0 ? `${dateOf(list[0].start, step)} to ${dateOf(list[list.length - 1].start, step)}` : "";
  const box = el("div", { class: "bars-box", tabindex: "0", role: "group", "aria-label": `Uptime per ${step < DAY_MS ? "hour" : "day"} of ${nameOf(c)}, ${span}. Arrow keys step through the bars.` }, root, tip);
  let shown = -1;
  const show = (i) => {
    shown = Math.max(0, Math.min(list.length - 1, i));
    tip.replaceChildren(...barText(list[shown], step).map((line, k) => el(k ? "span" : "strong", {}, line)));
    for (const r of root.querySelectorAll(".bar.on")) r.classList.remove("on");
    root.querySelector(`.bar[data-i="${shown}"]`)?.classList.add("on");
  };
  const pick = (e) => show(Math.floor(((e.clientX - root.getBoundingClientRect().left) / root.getBoundingClientRect().width) * list.length));
  root.addEventListener("pointermove", pick);
  root.addEventListener("click", pick);
  box.addEventListener("focus", () => show(shown < 0 ? list.length - 1 : shown));
  box.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      show(shown + (e.key === "ArrowLeft" ? -1 : 1));
      e.preventDefault();
    }
  });
  return box;
}

// Formatters made once: toLocaleString makes one per call, which a 90 day page of 100 checks felt (≈ 70 ms).
const MONTH = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });
const DATE_LABEL = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const TIME_LABEL = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });

/** "Sep 2026": a UTC calendar month, the same on every machine. */
const monthName = (month) => MONTH.format(new Date(`${month}-01T00:00:00Z`));

/** Uptime per calendar month of the window (90 days: four or so), as a row under the bars. */
export function monthsEl(c) {
  const list = el("ul", { class: "months", "aria-label": `Uptime per month of ${nameOf(c)}` });
  for (const m of c.months) {
    const text = m.uptime === undefined ? "no data" : `${m.uptime}%`;
    list.append(el("li", { title: m.uptime === undefined ? undefined : `${m.downMinutes} min down, ${runsText(m.total)}` },
      el("span", { class: "month-name" }, monthName(m.month)), " ", el("strong", {}, text)));
  }
  return list;
}

/** µs → "850µs", "81ms", "1.5s": checkup's y-axis units, shortened. */
function formatRtt(us) {
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 10_000_000) return `${Math.round(us / 1000)}ms`;
  return `${(us / 1e6).toFixed(1)}s`;
}

function timeLabel(ms, spanMs) {
  return (spanMs > 2 * DAY_MS ? DATE_LABEL : TIME_LABEL).format(new Date(ms));
}

/** What the chart's p95 line is of (model.js's `per`), for its title and legend. */
export const P95_OF = {
  run: "95th percentile of the runs in each point",
  hour: "95th percentile of the hours' medians in each point",
  day: "95th percentile of each day's runs",
};

const W = 600;
const H = 140;
const PAD = { l: 48, r: 8, t: 12, b: 22 };

/** Where the line breaks: a gap over 3× the usual spacing of the buckets (runs are missing there). */
function breaksOf(list, width) {
  const gaps = list.slice(1).map((b, i) => b.t - list[i].t).sort((a, b) => a - b);
  const limit = Math.max(1.5 * width, 3 * (gaps[gaps.length >> 1] ?? 0));
  return list.map((b, i) => i === 0 || b.t - list[i - 1].t > limit);
}

function lineOf(list, breaks, key, x, y) {
  return list.map((b, i) => `${breaks[i] ? "M" : "L"}${x(b.t).toFixed(1)},${y(b[key]).toFixed(1)}`).join("");
}

/**
 * Response time: p50 (line) and p95 (band edge) per bucket over the span that has data, the
 * threshold as a dashed line, or as a label when it is far above the data, and a triangle under
 * each bucket with a run down (shape as well as colour). A bucket alone on its line is a dot.
 */
export function chartEl(c) {
  const { from, to, width, list } = c.buckets;
  const top = Math.max(1, ...list.map((b) => b.p95)) * 1.15;
  const thrOnScale = c.thr > 0 && c.thr <= top * 1.5;
  const max = thrOnScale ? Math.max(top, c.thr * 1.1) : top;
  const x = (t) => PAD.l + ((t - from) / Math.max(1, to - from)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img" });
  root.append(svg("title", {}, `Response time of ${nameOf(c)}: median and ${P95_OF[c.buckets.per]}, up to ${formatRtt(max)}`));
  root.append(svg("line", { class: "axis", x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b }));
  for (const v of [max / 2, max]) {
    root.append(svg("line", { class: "grid", x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }));
    root.append(svg("text", { class: "label", x: PAD.l - 4, y: y(v) + 4, "text-anchor": "end" }, formatRtt(v)));
  }
  root.append(svg("text", { class: "label", x: PAD.l, y: H - 6 }, timeLabel(from, to - from)));
  root.append(svg("text", { class: "label", x: W - PAD.r, y: H - 6, "text-anchor": "end" }, timeLabel(to, to - from)));
  if (thrOnScale) root.append(svg("line", { class: "threshold", x1: PAD.l, x2: W - PAD.r, y1: y(c.thr), y2: y(c.thr) }, undefined));
  if (c.thr > 0) root.append(svg("text", { class: "label threshold-label", x: W - PAD.r, y: thrOnScale ? y(c.thr) - 3 : PAD.t - 2, "text-anchor": "end" }, `threshold ${formatRtt(c.thr)}${thrOnScale ? "" : " ↑"}`));
  const breaks = breaksOf(list, width);
  root.append(svg("path", { class: "p95", d: lineOf(list, breaks, "p95", x, y) }));
  root.append(svg("path", { class: "rtt", d: lineOf(list, breaks, "p50", x, y) }));
  // A bucket with no neighbour on its line would draw nothing: a dot.
  list.forEach((b, i) => {
    if (breaks[i] && (i === list.length - 1 || breaks[i + 1])) root.append(svg("circle", { class: "rtt-dot", cx: x(b.t), cy: y(b.p50), r: 3 }));
  });
  for (const b of list) {
    if (b.s !== "x") continue;
    const px = x(b.t).toFixed(1);
    root.append(svg("path", { class: "down-mark", d: `M${px},${H - PAD.b - 7}l4,7h-8z` }));
  }
  return root;
}

/** How many events a check card lists before "… and N earlier". */
const EVENTS_SHOWN = 8;

const runsText = (n) => `${n} ${n === 1 ? "run" : "runs"}`;
export const nameOf = (c) => c.title || c.endpoint;

/**
 * One row per location (two or more nodes): the node, its own newest status (icon and word),
 * RTT and when. The card's badge is the combined verdict; a row shows what that node saw. A node
 * the verdict no longer counts says so in words ("Stale, no result for 12 min"), not its old status.
 */
function locationsEl(c) {
  if (c.locations.length === 0) return undefined;
  return el("ul", { class: "locations", "aria-label": `Locations of ${nameOf(c)}` }, ...c.locations.map((l) => {
    const node = el("span", { class: "node" }, l.node || "(unnamed node)");
    if (l.stale) {
      return el("li", { class: "location stale", "data-node": l.node }, node, " ",
        el("span", { class: "badge stale" }, el("span", { class: "icon", "aria-hidden": "true" }, "–"), " Stale"), " ",
        el("span", { class: "detail" }, "no result for ", timeEl(l.t, { since: true })));
    }
    return el("li", { class: `location ${CLASS[l.s]}`, "data-node": l.node }, node, " ", badge(l.s), " ",
      el("span", { class: "location-rtt" }, l.rtt > 0 ? formatRtt(l.rtt) : "–"), " ", timeEl(l.t),
      l.text && l.s !== "h" ? el("span", { class: "detail" }, `: ${l.text}`) : undefined);
  }));
}

/** Under a quorum rule with fewer of its nodes counted than it expects: "2 of 3 locations reporting". */
function reportingEl(c) {
  if (!c.reporting) return undefined;
  const { counted, of } = c.reporting;
  return el("p", { class: "reporting" }, `${counted} of ${of} ${of === 1 ? "location" : "locations"} reporting`);
}

function checkEl(c, ctx) {
  const events = el("ol", { class: "events", "aria-label": `Events for ${nameOf(c)}` });
  for (const ev of c.events.slice(0, EVENTS_SHOWN)) events.append(eventEl(ev, c, ctx.purify));
  if (c.events.length > EVENTS_SHOWN) events.append(el("li", { class: "more" }, `… and ${c.events.length - EVENTS_SHOWN} earlier`));
  const uptime = c.uptime === undefined ? "–" : `${c.uptime}%`;
  return el("article", { class: `check ${CLASS[c.latest.s]}`, "data-key": c.key },
    el("header", {},
      el("div", { class: "names" }, el("h3", { class: "title" }, nameOf(c)),
        c.description ? el("p", { class: "description" }, c.description) : undefined, endpointEl(c.endpoint)),
      el("div", { class: "figures" },
        el("p", { class: "state" }, badge(c.latest.s)),
        reportingEl(c),
        el("p", { class: "uptime" }, el("strong", {}, uptime), ` uptime (${runsText(c.total)})`))),
    locationsEl(c),
    barsEl(c),
    c.months.length ? monthsEl(c) : undefined,
    chartEl(c),
    el("p", { class: "chart-legend" }, "— median · – – ", P95_OF[c.buckets.per]),
    events);
}

/** Down checks first, then degraded, then by title: what needs attention is on top. */
const RANK = { x: 0, d: 1, u: 2, h: 3 };
export function sortChecks(checks) {
  return [...checks].sort((a, b) => RANK[a.latest.s] - RANK[b.latest.s] || nameOf(a).localeCompare(nameOf(b)));
}

/** A group's status: its worst check's (as the header's rule for the whole page). */
const groupStatus = (checks) => checks.map((c) => c.latest.s).sort((a, b) => RANK[a] - RANK[b])[0];

/**
 * Checks without a group as cards, as before; then a section per group (by name), collapsed
 * while every check in it is healthy, so a problem is what opens on its own.
 */
export function renderChecks(container, model, ctx) {
  const groups = new Map();
  for (const c of sortChecks(model.checks)) groups.set(c.group ?? "", [...(groups.get(c.group ?? "") ?? []), c]);
  const list = [];
  const loose = groups.get("") ?? [];
  if (loose.length) list.push(el("div", { class: "checks" }, ...loose.map((c) => checkEl(c, ctx))));
  for (const name of [...groups.keys()].filter(Boolean).sort((a, b) => a.localeCompare(b))) {
    const checks = groups.get(name);
    const status = groupStatus(checks);
    const open = ctx.opened.has(name) || status !== "h" ? { open: "" } : {};
    const section = el("details", { class: `group ${CLASS[status]}`, "data-group": name, ...open },
      el("summary", {}, el("h2", { class: "group-name" }, name), " ", badge(status),
        el("span", { class: "group-count" }, ` ${checks.length} ${checks.length === 1 ? "check" : "checks"}`)),
      el("div", { class: "checks" }, ...checks.map((c) => checkEl(c, ctx))));
    // Remembered across refreshes: a section the reader opened stays open.
    section.addEventListener("toggle", () => (section.open ? ctx.opened.add(name) : ctx.opened.delete(name)));
    list.push(section);
  }
  if (list.length === 0) list.push(el("p", { class: "empty" }, "No checks in this timeframe yet. Results appear here after `checkup --store` has run."));
  container.replaceChildren(...list);
}
