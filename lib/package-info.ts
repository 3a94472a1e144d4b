/** This package's own name and version (for --version, /__version__), read once from package.json. */
import { readFileSync } from "node:fs";

export const PACKAGE = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };
