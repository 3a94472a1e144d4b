/*
 * Builds the page's DOM. Every stored string (title, endpoint, error, notice) goes in with
 * textContent; only messages posted with `checkup message` are rendered as HTML, and only after
 * DOMPurify has kept a small allow-list of tags and http(s)/mailto links.
 */
import { chart } from "./chart.js";

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
