/*
 * A small response-time chart in SVG: the median RTT per run (or per hour), the threshold as a
 * dashed line, and a triangle under each run that was down (shape as well as colour). Built
 * with DOM calls, so no stored text is ever parsed as markup.
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
export function formatRtt(us) {
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

export function chart(check, fromMs, toMs) {
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
