/** Headless Debian chromium through playwright-core (never a downloaded browser build). */
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { REPO } from "./paths.js";

export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
  });
}

/**
 * axe-core's serious and critical violations on the page as it is now. The page must have been
 * opened in a context with `bypassCSP: true`: axe is injected as an inline script, which the
 * page's CSP (rightly) refuses.
 */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: path.join(REPO, "node_modules", "axe-core", "axe.min.js") });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run({ resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}
