/**
 * Month rollups: a UTC calendar month's hours days joined per check and day, so a 90 day view
 * loads four or five files. Pure, like week.ts: the writer feeds it the month's complete days.
 */
import { median, percentile } from "checkup/statuspage/rules";
import { dayStart, SUMMARY_VERSION, type CheckHours, type CheckMonth, type HoursDay, type MonthRollup } from "./format.js";
import { joinDays, namesOfJoined, spanOfJoined, type Joined } from "./join.js";
import { rttMs } from "./week.js";

interface MonthColumns {
  n: number[];
  down: number[];
  p50: number[];
  p95: number[];
}

/** Days in the month "YYYY-MM". */
export function daysInMonth(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y!, m!, 0)).getUTCDate();
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The day's p50 and p95 in µs: of its runs (`dayRtt`), or, in hours days written before month
 * files, of its hours' medians.
 */
function dayRttOf(c: CheckHours): [number, number] {
  if (c.dayRtt) return c.dayRtt;
  const hourly = c.rtt.filter((_, h) => (c.n[h] ?? 0) > 0);
  return [median(hourly), percentile(hourly, 95)];
}

/** The month "YYYY-MM" from any of its hours days (missing days had no runs). */
export function rollupMonth(month: string, days: readonly HoursDay[]): MonthRollup {
  const first = `${month}-01`;
  const checks = joinDays({ name: "month", first, days: daysInMonth(month) }, days, (): MonthColumns => ({ n: [], down: [], p50: [], p95: [] }), (m, c, day) => {
    const [p50, p95] = dayRttOf(c);
    m.n[day] = sum(c.n);
    m.down[day] = m.n[day]! - sum(c.up);
    m.p50[day] = rttMs(p50);
    m.p95[day] = rttMs(p95);
  });
  return { v: SUMMARY_VERSION, month, start: dayStart(first).toString(), checks: checks.map(pack) };
}

function pack(j: Joined<MonthColumns>): CheckMonth {
  const m = j.cols;
  let days = m.n.length;
  while (days > 0 && !m.n[days - 1]) days--;
  const down: Record<string, number> = {};
  for (let d = 0; d < days; d++) if (m.down[d]) down[d] = m.down[d]!;
  const upTo = (values: number[]) => Array.from({ length: days }, (_, d) => values[d] ?? 0);
  return { ...namesOfJoined(j), n: upTo(m.n), down, p50Ms: upTo(m.p50), p95Ms: upTo(m.p95), ...spanOfJoined(j) };
}
