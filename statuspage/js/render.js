/*
 * Builds the page's DOM. Every stored string (title, endpoint, error, notice) goes in with
 * textContent; only messages posted with `checkup message` are rendered as HTML, and only after
 * DOMPurify has kept a small allow-list of tags and http(s)/mailto links. The response-time
 * chart is SVG built the same way.
 */
export const LABEL = { h: "Healthy", d: "Degraded", x: "Down", u: "Unknown", m: "Message" };
export const ICON = { h: "✓", d: "!", x: "✕", u: "?", m: "✎" };
const CLASS = { h: "healthy", d: "degraded", x: "down", u: "unknown", m: "message" };

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** "5 min ago": short, English, and the same on every machine (tests read it). */
export function ago(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 10) return "just now";
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** A relative time that main.js keeps current; the exact time is in the tooltip. */
export function timeEl(ms) {
  return el("time", { datetime: new Date(ms).toISOString(), title: new Date(ms).toLocaleString(), "data-ms": String(ms) }, ago(ms));
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
function messageEl(text, purify) {
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

function eventEl(ev, check, purify) {
  const body = ev.kind === "m"
    ? messageEl(ev.text, purify)
    : el("p", { class: "event-text" }, `${check.title || check.endpoint} is ${LABEL[ev.kind].toLowerCase()}`, ev.text ? el("span", { class: "detail" }, `: ${ev.text}`) : undefined);
  return el("li", { class: `event ${CLASS[ev.kind]}` }, badge(ev.kind), " ", timeEl(ev.t), body);
}

/*
 * A small response-time chart in SVG: the median RTT per run (or per hour), the threshold as a
 * dashed line, and a triangle under each run that was down (shape as well as colour).
 */
const NS = "http://www.w3.org/2000/svg";
const W = 600;
const H = 140;
const PAD = { l: 48, r: 8, t: 10, b: 22 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** µs → "850µs", "81ms", "1.5s": checkup's y-axis units, shortened. */
function formatRtt(us) {
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 10_000_000) return `${Math.round(us / 1000)}ms`;
  return `${(us / 1e6).toFixed(1)}s`;
}

function timeLabel(ms, spanMs) {
  const d = new Date(ms);
  return spanMs > 2 * 86_400_000
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : d.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
}

/** Breaks the line where runs are missing (a gap over 3× the usual spacing). */
function pathOf(points, x, y) {
  const gaps = points.slice(1).map((p, i) => p.t - points[i].t).sort((a, b) => a - b);
  const usual = gaps[gaps.length >> 1] || Infinity;
  let d = "";
  points.forEach((p, i) => {
    const jump = i === 0 || p.t - points[i - 1].t > 3 * usual;
    d += `${jump ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
  });
  return d;
}

function chart(check, fromMs, toMs) {
  const points = check.points;
  const max = Math.max(1, check.thr * 1.2, ...points.map((p) => p.v));
  const x = (t) => PAD.l + ((t - fromMs) / Math.max(1, toMs - fromMs)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const root = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img" });
  root.append(svg("title", {}, `Response time of ${check.title || check.endpoint}: median per run, up to ${formatRtt(max)}`));
  root.append(svg("line", { class: "axis", x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b }));
  for (const v of [max / 2, max]) {
    root.append(svg("line", { class: "grid", x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }));
    root.append(svg("text", { class: "label", x: PAD.l - 4, y: y(v) + 4, "text-anchor": "end" }, formatRtt(v)));
  }
  root.append(svg("text", { class: "label", x: PAD.l, y: H - 6 }, timeLabel(fromMs, toMs - fromMs)));
  root.append(svg("text", { class: "label", x: W - PAD.r, y: H - 6, "text-anchor": "end" }, timeLabel(toMs, toMs - fromMs)));
  if (check.thr > 0) {
    const line = svg("line", { class: "threshold", x1: PAD.l, x2: W - PAD.r, y1: y(check.thr), y2: y(check.thr) });
    line.append(svg("title", {}, `threshold ${formatRtt(check.thr)}`));
    root.append(line);
  }
  if (points.length > 0) root.append(svg("path", { class: "rtt", d: pathOf(points, x, y) }));
  for (const p of points) {
    if (p.s !== "x") continue;
    const px = x(p.t).toFixed(1);
    root.append(svg("path", { class: "down-mark", d: `M${px},${H - PAD.b - 7}l4,7h-8z` }));
  }
  return root;
}

/** How many events a check card lists before "… and N earlier". */
const EVENTS_SHOWN = 8;

function checkEl(c, ctx) {
  const events = el("ol", { class: "events", "aria-label": `Events for ${c.title || c.endpoint}` });
  for (const ev of c.events.slice(0, EVENTS_SHOWN)) events.append(eventEl(ev, c, ctx.purify));
  if (c.events.length > EVENTS_SHOWN) events.append(el("li", { class: "more" }, `… and ${c.events.length - EVENTS_SHOWN} earlier`));
  const uptime = c.uptime === undefined ? "–" : `${c.uptime}%`;
  return el("article", { class: `check ${CLASS[c.latest.s]}`, "data-key": c.key },
    el("header", {},
      el("div", { class: "names" }, el("h3", { class: "title" }, c.title || c.endpoint), endpointEl(c.endpoint)),
      el("div", { class: "figures" },
        el("p", { class: "state" }, badge(c.latest.s)),
        el("p", { class: "uptime" }, el("strong", {}, uptime), ` uptime (${c.total} ${c.total === 1 ? "run" : "runs"})`))),
    chart(c, ctx.fromMs, ctx.nowMs),
    events);
}

/** Down checks first, then degraded, then by title: what needs attention is on top. */
const RANK = { x: 0, d: 1, u: 2, h: 3 };
export function sortChecks(checks) {
  return [...checks].sort((a, b) => RANK[a.latest.s] - RANK[b.latest.s] || (a.title || a.endpoint).localeCompare(b.title || b.endpoint));
}

export function renderChecks(container, model, ctx) {
  const list = sortChecks(model.checks).map((c) => checkEl(c, ctx));
  if (list.length === 0) list.push(el("p", { class: "empty" }, "No checks in this timeframe yet. Results appear here after `checkup --store` has run."));
  container.replaceChildren(...list);
}
