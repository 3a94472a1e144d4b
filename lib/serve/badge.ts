/**
 * Shields-style "flat" badges: a grey label on the left, a coloured message on the right, sized
 * from an estimate of the text width in 11 px Verdana (what shields.io renders with).
 */
import type { Status } from "../types.js";
import { escapeMarkup } from "../markup.js";

export const BADGE_COLOURS: Readonly<Record<Status, string>> = {
  healthy: "#4c1",
  degraded: "#dfb317",
  down: "#e05d44",
  unknown: "#9f9f9f",
};

/** Advance widths of 11 px Verdana, in px, for the characters that differ from the default. */
const WIDTHS: ReadonlyArray<[string, number]> = [
  ["iljI.,:;'|!", 3.5],
  ["frt()[]{}/\\ -", 4.5],
  ["sczJ\"", 6],
  ["abdeghknopquvxyL0123456789$#*+<=>?^_`~", 7],
  ["ABCEFKPRSTVXYZ", 7.5],
  ["DGHNOQU&", 8.5],
  ["mwM%", 10.5],
  ["W@", 12],
];
const WIDTH_OF = new Map(WIDTHS.flatMap(([chars, w]) => [...chars].map((c) => [c, w] as const)));

export function textWidth(text: string): number {
  let w = 0;
  for (const c of text) w += WIDTH_OF.get(c) ?? 7.5;
  return Math.ceil(w);
}

/** A badge; `colour` is a CSS colour written by this program (never user input). */
export function badgeSvg(label: string, message: string, colour: string): string {
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const width = lw + mw;
  const l = escapeMarkup(label);
  const m = escapeMarkup(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${l}: ${m}">` +
    `<title>${l}: ${m}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${colour}"/>` +
    `<rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>` +
    `<text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text>` +
    `</g></svg>`;
}

/** Uptime colour as shields picks it for percentages: green from 99.9 %, down to red. */
export function uptimeColour(percent: number): string {
  if (percent >= 99.9) return "#4c1";
  if (percent >= 99) return "#97ca00";
  if (percent >= 95) return "#dfb317";
  if (percent >= 90) return "#fe7d37";
  return "#e05d44";
}
