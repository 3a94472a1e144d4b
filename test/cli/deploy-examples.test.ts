/**
 * The fleet deployment examples in docs/examples/ (docs/multi-node.md): the YAML parses, each node
 * is named and gets the config, the secret and the storage it needs, and the config they mount
 * passes `checkup validate` as each node would run it. No container runs here (docs/container.md).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { runCli } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";
import { tmpDir } from "../helpers/tmp.js";

const EXAMPLES = path.join(REPO, "docs", "examples");

interface Service { build?: string; command?: string[]; environment?: Record<string, string>; volumes?: string[] }
type Manifest = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: Record<string, unknown> };

/** `checkup validate` as a node runs it; exit 0 and no warning (an unknown key would be one). */
async function validates(config: string, env: NodeJS.ProcessEnv, node: string): Promise<void> {
  const run = await runCli(["-c", config, "validate"], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  assert.match(run.stdout, new RegExp(`OK \\(.*storage postgres.*node ${node}\\)`));
}

test("fleet compose: three named nodes and a page, built from the root Dockerfile, on one config that validates", async () => {
  const file = path.join(EXAMPLES, "fleet-compose.yaml");
  const compose = parse(await readFile(file, "utf8"), { merge: true }) as { services: Record<string, Service> };
  const nodes = ["eu-1", "eu-2", "eu-3"];
  assert.deepEqual(Object.keys(compose.services).sort(), [...nodes, "page", "postgres"]);
  for (const name of [...nodes, "page"]) {
    const service = compose.services[name]!;
    assert.equal(service.environment?.CHECKUP_NODE, name);
    assert.ok(service.environment?.POSTGRES_PASSWORD, `${name} gets the database password`);
    assert.ok(existsSync(path.join(path.dirname(file), service.build!, "Dockerfile")), `${name} builds the root Dockerfile`);
    const [source, target] = service.volumes![0]!.split(":");
    assert.equal(target, "/config/checkup.json");
    await validates(path.resolve(path.dirname(file), source!), { POSTGRES_PASSWORD: "x", CHECKUP_NODE: name }, name);
  }
  for (const name of nodes) assert.deepEqual(compose.services[name]!.command, ["every", "1m"]);
  assert.deepEqual(compose.services.page!.command, ["serve", "--listen", ":3000"]);
});

test("kubernetes: a Deployment of nodes named by the downward API, the DSN from a Secret, checkup.json from a ConfigMap with auto shards", async () => {
  const docs = parseAllDocuments(await readFile(path.join(EXAMPLES, "kubernetes.yaml"), "utf8"));
  for (const d of docs) assert.deepEqual(d.errors, []);
  const manifests = docs.map((d) => d.toJS() as Manifest);
  const configMap = manifests.find((m) => m.kind === "ConfigMap")!;
  const nodes = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "checkup")!;
  const pod = (nodes.spec as { template: { spec: { containers: { args: string[]; env: { name: string; valueFrom: Record<string, Record<string, string>> }[]; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string; configMap?: { name: string } }[] } } }).template.spec;
  assert.ok(((nodes.spec as { replicas: number }).replicas) > 1);
  const container = pod.containers[0]!;
  assert.deepEqual(container.args.slice(0, 2), ["every", "1m"]);
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.valueFrom]));
  assert.deepEqual(env.CHECKUP_NODE, { fieldRef: { fieldPath: "metadata.name" } });
  assert.equal(env.CHECKUP_DSN?.secretKeyRef?.key, "dsn");
  const configVolume = pod.volumes.find((v) => v.configMap)!;
  assert.equal(configVolume.configMap!.name, configMap.metadata.name);
  assert.equal(container.volumeMounts.find((m) => m.name === configVolume.name)!.mountPath, "/config");

  const config = JSON.parse(configMap.data!["checkup.json"]!) as { shards: unknown; storage: { dsn: string } };
  assert.deepEqual(config.shards, { mode: "auto", replicas: 1 });
  assert.equal(config.storage.dsn, "${CHECKUP_DSN}");
  const file = path.join(await tmpDir(), "checkup.json");
  await writeFile(file, configMap.data!["checkup.json"]!);
  // A pod's name, as the downward API gives it.
  const podName = "checkup-7d9f8c6b5-x2k4q";
  await validates(file, { CHECKUP_DSN: "postgres://checkup:pw@db.internal:5432/checkup?sslmode=verify-full", CHECKUP_NODE: podName }, podName);

  const service = manifests.find((m) => m.kind === "Service")!;
  const page = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "checkup-page")!;
  assert.deepEqual((service.spec as { selector: unknown }).selector, (page.spec as { selector: { matchLabels: unknown } }).selector.matchLabels);
});
