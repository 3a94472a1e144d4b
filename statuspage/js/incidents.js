/*
 * The incident history (#incidents): every outage in the loaded window, newest first, grouped by
 * UTC day. An outage is a run of non-healthy results as the notifiers see them (rules.js
 * outagesOf): check, start, end or "ongoing", duration, its errors and the messages posted
 * during it.
 * Loaded only when its URL is opened.
 */
import { badge, el, messageEl, nameOf } from "./render.js";

const utc = (ms) => new Date(ms).toISOString().slice(11, 16);

/** "3 h 20 min", "45 min", "under a minute". */
export function duration(ms) {
  const min = Math.round(ms / 60_000);
  if (min < 1) return "under a minute";
  const h = Math.floor(min / 60);
  return h > 0 ? `${h} h${min % 60 ? ` ${min % 60} min` : ""}` : `${min} min`;
}

function outageEl(o, check, purify, nowMs) {
  const texts = el("ul", { class: "outage-texts" });
  for (const text of o.texts) texts.append(el("li", { class: "outage-error" }, text));
  for (const text of o.messages) texts.append(el("li", { class: "outage-message" }, messageEl(text, purify)));
  const end = o.end === undefined ? "ongoing" : `${utc(o.end)} UTC`;
  return el("li", { class: "outage", "data-key": check.key },
    el("p", { class: "outage-head" }, badge(o.worst), " ", el("strong", { class: "outage-check" }, nameOf(check)),
      el("span", { class: "outage-time" }, ` ${utc(o.start)} UTC – ${end}, ${duration((o.end ?? nowMs) - o.start)}${o.end === undefined ? " so far" : ""}`)),
    o.texts.length + o.messages.length ? texts : undefined);
}

export function renderIncidents(container, model, { purify, nowMs = Date.now() }) {
  const all = model.checks.flatMap((c) => c.outages.map((o) => ({ o, c }))).sort((a, b) => b.o.start - a.o.start);
  const byDay = new Map();
  for (const item of all) {
    const day = new Date(item.o.start).toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }
  const days = [...byDay].map(([day, items]) => el("section", { class: "incident-day", "aria-label": day },
    el("h3", {}, el("time", { datetime: day }, day)),
    el("ol", { class: "outages" }, ...items.map(({ o, c }) => outageEl(o, c, purify, nowMs)))));
  container.replaceChildren(el("h2", { id: "incidents-title" }, "Incident history"),
    ...(days.length ? days : [el("p", { class: "empty" }, "No outages in the last 90 days.")]));
}
