/**
 * How `checkup report` prints a report: an aligned text table, CSV (RFC 4180), a Markdown table,
 * or JSON with exact numbers. Text and Markdown round uptime down to 3 decimals (99.9996 % never
 * reads 100.000 %) and durations to two units; CSV and JSON keep every digit.
 */
import { formatHumanDuration } from "../lib/duration.js";
import type { CheckReport, Report } from "../lib/summary/report.js";

export const REPORT_FORMATS = ["text", "json", "csv", "md"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const HEADINGS = ["check", "uptime", "downtime", "incidents", "longest", "p50 RTT", "p95 RTT"];

const percent = (p: number) => `${(Math.floor(p * 1000) / 1000).toFixed(3)} %`;
const duration = (ms: number) => (ms === 0 ? "0s" : formatHumanDuration(ms * 1e6));
const rtt = (ms: number | null) => (ms === null ? "-" : `${Number(ms.toPrecision(3))} ms`);

function rounded(c: CheckReport): string[] {
  return [c.name, percent(c.uptime), duration(c.downtime_ms), String(c.incidents), duration(c.longest_ms), rtt(c.rtt_p50_ms), rtt(c.rtt_p95_ms)];
}

function textTable(report: Report): string {
  const rows = [HEADINGS, ...report.checks.map(rounded)];
  const widths = HEADINGS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  // The name reads left-aligned, figures right-aligned so their digits line up.
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [`Report ${report.from} to ${report.to} (UTC)`, "", ...rows.map(line)].join("\n");
}

/** Markdown cells: a pipe or a line break in a check's name would end the cell. */
const mdCell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n|\r/g, " ");

function markdown(report: Report): string {
  const rows = report.checks.map((c) => `| ${rounded(c).map(mdCell).join(" | ")} |`);
  return [`## Report ${report.from} to ${report.to} (UTC)`, "", `| ${HEADINGS.join(" | ")} |`,
    `| ${HEADINGS.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`, ...rows].join("\n");
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; lines end in CRLF. */
const csvField = (value: string | number | null) => {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const CSV_COLUMNS = ["id", "name", "endpoint", "runs", "up", "uptime", "downtime_ms", "incidents", "longest_ms", "rtt_p50_ms", "rtt_p95_ms"] as const;

function csv(report: Report): string {
  const rows = [["from", "to", ...CSV_COLUMNS], ...report.checks.map((c) => [report.from, report.to, ...CSV_COLUMNS.map((k) => c[k])])];
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n");
}

export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case "json": return `${JSON.stringify(report, null, 2)}\n`;
    case "csv": return `${csv(report)}\r\n`;
    case "md": return `${markdown(report)}\n`;
    case "text": return `${textTable(report)}\n`;
  }
}
