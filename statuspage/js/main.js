/*
 * Boots the page: defines the globals checkup's config.js expects, loads config.js, loads the
 * chosen timeframe, renders, refreshes every refresh_interval seconds, and keeps relative times
 * current. Any failure shows a visible warning rather than a page stuck on "Loading" (checkup#68).
 */
import { Loader, sourceFor, statusLinks } from "./data.js";
import { buildModel } from "./model.js";
import { ago, badge, el, loadPurify, renderChecks, timeText } from "./render.js";

/*
 * A config.js from an existing checkup deployment works unchanged: a classic script that assigns
 * `checkup.config` and may use the `time` constants (nanoseconds). It is loaded from here, after
 * these globals exist, rather than by index.html after a separate globals script: one request less.
 */
window.checkup = window.checkup || {};
window.time = {
  Nanosecond: 1, Microsecond: 1e3, Millisecond: 1e6, Second: 1e9,
  Minute: 60e9, Hour: 3600e9, Day: 86400e9, Week: 7 * 86400e9,
};

function loadConfig() {
  return new Promise((resolve) => {
    const s = document.createElement("script");
    s.src = "js/config.js";
    // Without a config.js the page still tries the defaults (the store at "/") and says what failed.
    s.onload = s.onerror = () => resolve(window.checkup.config || {});
    document.head.append(s);
  });
}

const NS_PER_MS = 1e6;
const DAY_MS = 86_400_000;
const TIMEFRAMES = [["24h", DAY_MS, "24 hours"], ["7d", 7 * DAY_MS, "7 days"], ["30d", 30 * DAY_MS, "30 days"], ["90d", 90 * DAY_MS, "90 days"]];
/** checkup's header texts and their fallbacks. */
const FALLBACK_TEXT = { healthy: "System Nominal", degraded: "Sub-Optimal", down: "Outage", unknown: "Status Unknown" };
const CODE = { healthy: "h", degraded: "d", down: "x", unknown: "u" };

let config = {};
let storage = { type: "fs", url: "/" };
const $ = (id) => document.getElementById(id);

function statusText(state) {
  return (config.status_text || {})[state] || FALLBACK_TEXT[state];
}

/** The incident history's own URL; it lists the longest window's outages. */
const INCIDENTS_HASH = "#incidents";

/** The timeframe from the URL (#7d), else config.js's timeframe (ns), else 24 h. */
function chosenTimeframe() {
  if (location.hash === INCIDENTS_HASH) return TIMEFRAMES[TIMEFRAMES.length - 1];
  const fromHash = TIMEFRAMES.find(([id]) => `#${id}` === location.hash);
  if (fromHash) return fromHash;
  const ms = Number(config.timeframe) / NS_PER_MS;
  if (!(ms > 0)) return TIMEFRAMES[0];
  return TIMEFRAMES.find(([, t]) => t === ms) || ["custom", ms, `${Math.round(ms / 3_600_000)} hours`];
}

function setOverall(state) {
  document.body.dataset.status = state;
  $("overall").replaceChildren(badge(CODE[state]), el("span", { class: "overall-text" }, statusText(state)));
  $("favicon").setAttribute("href", `images/status-${state}.svg`);
  document.title = `${statusText(state)} · Status`;
}

function showWarning(error) {
  const box = $("warning");
  box.hidden = false;
  box.replaceChildren(el("strong", {}, "Status data could not be loaded. "), String(error.message || error));
  if (!document.body.dataset.status || document.body.dataset.status === "loading") setOverall("unknown");
}

function tickTimes() {
  const now = Date.now();
  for (const t of document.querySelectorAll("time[data-ms]")) t.textContent = timeText(t, now);
}

let loader;
let timeframe;
/** Group sections the reader opened, kept open across refreshes. */
const opened = new Set();

async function show(pieces) {
  const nowMs = Date.now();
  const model = buildModel(pieces, loader.fromMs, nowMs);
  const incidents = location.hash === INCIDENTS_HASH;
  const shown = (c) => (incidents ? c.outages.flatMap((o) => o.messages) : c.events.filter((e) => e.kind === "m").map((e) => e.text));
  const purify = model.checks.some((c) => shown(c).length > 0) ? await loadPurify().catch(() => undefined) : undefined;
  $("checks").hidden = incidents;
  $("incidents").hidden = !incidents;
  // The history is its own module, loaded when its URL is opened: the checks view never pays for it.
  if (incidents) (await import("./incidents.js")).renderIncidents($("incidents"), model, { purify });
  else renderChecks($("checks"), model, { purify, opened });
  setOverall(model.checks.length ? model.overall : "healthy");
  // A run is one check run in one round, on the cards and here alike.
  $("info").replaceChildren(
    el("span", {}, `${model.checks.length} ${model.checks.length === 1 ? "check" : "checks"}, ${model.rounds} ${model.rounds === 1 ? "run" : "runs"} each in the last ${timeframe[2]}`),
    model.lastCheck === undefined ? "" : el("span", {}, " · Last check ", el("time", { "data-ms": String(model.lastCheck), datetime: new Date(model.lastCheck).toISOString() }, ago(model.lastCheck))));
  $("warning").hidden = true;
  document.body.dataset.loaded = String(Date.now());
}

/** The feed for readers that discover it, and both files linked in the footer, once. */
function linkStatusFiles(source) {
  if (document.getElementById("feed-link")) return;
  const links = statusLinks(storage, source);
  document.head.append(el("link", { id: "feed-link", rel: "alternate", type: "application/atom+xml", title: "Status feed", href: links.feed }));
  $("status-links").replaceChildren(" · ", el("a", { href: links.feed }, "Atom feed"), " · ", el("a", { href: links.status }, "status.json"));
}

async function load() {
  timeframe = chosenTimeframe();
  const incidents = location.hash === INCIDENTS_HASH;
  for (const b of document.querySelectorAll("#timeframes button")) b.setAttribute("aria-pressed", String(!incidents && b.dataset.id === timeframe[0]));
  $("incidents-link").setAttribute("aria-current", incidents ? "page" : "false");
  const source = await sourceFor(storage);
  linkStatusFiles(source);
  loader = new Loader(source, storage);
  await show(await loader.load(timeframe[1], Date.now()));
}

async function refresh() {
  try {
    await show(await loader.refresh());
  } catch (e) {
    showWarning(e);
  }
}

function start() {
  const group = $("timeframes");
  for (const [id, , label] of TIMEFRAMES) {
    const b = el("button", { type: "button", "data-id": id, "aria-pressed": "false", title: `Show the last ${label}` }, id);
    b.addEventListener("click", () => {
      history.replaceState(null, "", `#${id}`);
      load().catch(showWarning);
    });
    group.append(b);
  }
  window.addEventListener("hashchange", () => load().catch(showWarning));
  load().catch(showWarning);
  const every = Math.max(5, Number(config.refresh_interval) || 60) * 1000;
  setInterval(() => loader && refresh(), every);
  setInterval(tickTimes, 5000);
}

loadConfig().then((c) => {
  config = c;
  storage = config.storage || storage;
  start();
});
