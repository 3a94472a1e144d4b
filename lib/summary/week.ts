/**
 * Week rollups: seven hours days joined into one compact file per UTC week, so a 30 day view
 * loads 5 or 6 files instead of 31, at about a third of the bytes. Pure, like day.ts: the writer
 * feeds it the week's hours days.
 */
import { dayStart, SUMMARY_VERSION, type CheckWeek, type HoursDay, type WeekRollup } from "./format.js";
import { joinDays, namesOfJoined, spanOfJoined, type Joined } from "./join.js";

/**
 * A chart point needs no µs precision: 3 significant digits in ms (0.5 % at worst) write
 * "123" for 123,456 µs, half the characters, and rounding again changes nothing.
 */
export const rttMs = (us: number): number => (us === 0 ? 0 : Number((us / 1000).toPrecision(3)));

interface WeekColumns {
  n: number[];
  down: number[];
  rtt: number[];
}

/** The week starting on `monday`, from any of its hours days (missing days had no runs). */
export function rollupWeek(monday: string, days: readonly HoursDay[]): WeekRollup {
  const checks = joinDays({ name: "week", first: monday, days: 7 }, days, (): WeekColumns => ({ n: [], down: [], rtt: [] }), (w, c, day) => {
    c.n.forEach((n, i) => {
      w.n[day * 24 + i] = n;
      w.down[day * 24 + i] = n - (c.up[i] ?? 0);
      w.rtt[day * 24 + i] = rttMs(c.rtt[i] ?? 0);
    });
  });
  return { v: SUMMARY_VERSION, week: monday, start: dayStart(monday).toString(), checks: checks.map(pack) };
}

function pack(j: Joined<WeekColumns>): CheckWeek {
  const w = j.cols;
  let hours = w.n.length;
  while (hours > 0 && !w.n[hours - 1]) hours--;
  const n: [number, number][] = [];
  const down: Record<string, number> = {};
  for (let h = 0; h < hours; h++) {
    const runs = w.n[h] ?? 0;
    const last = n.at(-1);
    if (last && last[1] === runs) last[0]++;
    else n.push([1, runs]);
    if (w.down[h]) down[h] = w.down[h]!;
  }
  const rtt = Array.from({ length: hours }, (_, h) => w.rtt[h] ?? 0);
  return { ...namesOfJoined(j), n, down, rttMs: rtt, ...spanOfJoined(j) };
}
