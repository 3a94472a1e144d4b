/*
 * A check's identity on the page: its title, or its endpoint when a result has none (the Go
 * checkup writes untitled results). The same rule as lib/check-key.ts, which the page cannot import.
 */
export const checkKey = (title, endpoint) => title || endpoint || "";
