/** Paths tests need: the repository root and the shared compat data beside it. */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (tests run from dist/test/...). */
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
/** ../shared/compat-data: real configs and Go-written stores. */
export const COMPAT = path.join(REPO, "..", "shared", "compat-data");
