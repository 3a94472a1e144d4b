/**
 * A local stand-in for the GitHub Contents API (no GitHub runs offline): one repository, one
 * branch, files in memory with git blob shas. It answers as GitHub does: GET file/folder (404 when
 * missing), PUT create 201 / update 200, 422 when creating an existing file, 409 on a stale sha,
 * DELETE, 401 on a wrong token, and files over `largeFile` bytes without content (fetch the blob).
 * Octokit URL-encodes the `/` in paths (`contents/updates%2Fx.json`), so paths are decoded here.
 */
import { createHash } from "node:crypto";
import { startHttpServer, type TestServer } from "./http-server.js";

export interface FakeRequest {
  method: string;
  /** Decoded path after /repos/<owner>/<repo>/, e.g. `contents/updates/index.json`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
  status: number;
}

export interface FakeGithub {
  baseUrl: string;
  files: Map<string, string>;
  requests: FakeRequest[];
  /** Runs before a request is answered: lets a test play "another writer" at the worst moment. */
  before?: (req: FakeRequest) => void;
  server: TestServer;
}

export const blobSha = (text: string): string =>
  createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest("hex");

export async function startFakeGithub(opts: { owner: string; repo: string; token: string; largeFile?: number }): Promise<FakeGithub> {
  const largeFile = opts.largeFile ?? 1024 * 1024;
  const fake: FakeGithub = { baseUrl: "", files: new Map(), requests: [], server: undefined as unknown as TestServer };
  const prefix = `/repos/${opts.owner}/${opts.repo}/`;
  const fileJson = (path: string, text: string) => {
    const large = Buffer.byteLength(text) > largeFile;
    return {
      type: "file", name: path.split("/").pop(), path, sha: blobSha(text), size: Buffer.byteLength(text),
      encoding: large ? "none" : "base64", content: large ? "" : Buffer.from(text).toString("base64").replace(/.{60}/g, "$&\n"),
    };
  };

  function answer(req: FakeRequest): [number, unknown] {
    if (req.authorization !== `token ${opts.token}`) return [401, { message: "Bad credentials" }];
    const blob = /^git\/blobs\/([0-9a-f]{40})$/.exec(req.path);
    if (blob && req.method === "GET") {
      const text = [...fake.files.values()].find((t) => blobSha(t) === blob[1]);
      return text === undefined ? [404, { message: "Not Found" }] : [200, { sha: blob[1], encoding: "base64", content: Buffer.from(text).toString("base64") }];
    }
    if (!req.path.startsWith("contents")) return [404, { message: "Not Found" }];
    const path = req.path.replace(/^contents\/?/, "");
    const current = fake.files.get(path);
    const body = req.body ?? {};
    if (req.method === "GET") {
      if (current !== undefined) return [200, fileJson(path, current)];
      const inside = [...fake.files.keys()].filter((p) => (path ? p.startsWith(`${path}/`) : true));
      if (inside.length === 0) return [404, { message: "Not Found" }];
      const names = new Map<string, unknown>();
      for (const p of inside) {
        const rest = path ? p.slice(path.length + 1) : p;
        const [first] = rest.split("/");
        const child = path ? `${path}/${first}` : first!;
        names.set(child, rest.includes("/") ? { type: "dir", name: first, path: child, sha: blobSha(child) } : { ...fileJson(child, fake.files.get(child)!), content: undefined, encoding: undefined });
      }
      return [200, [...names.values()]];
    }
    if (req.method === "PUT") {
      if (current !== undefined && body.sha === undefined) return [422, { message: "Invalid request.\n\n\"sha\" wasn't supplied." }];
      if (current !== undefined && body.sha !== blobSha(current)) return [409, { message: `${path} does not match ${String(body.sha)}` }];
      if (current === undefined && body.sha !== undefined) return [404, { message: "Not Found" }];
      const text = Buffer.from(String(body.content), "base64").toString("utf8");
      fake.files.set(path, text);
      return [current === undefined ? 201 : 200, { content: { name: path.split("/").pop(), path, sha: blobSha(text) }, commit: { sha: "c0ffee" } }];
    }
    if (req.method === "DELETE") {
      if (current === undefined) return [404, { message: "Not Found" }];
      if (body.sha !== blobSha(current)) return [409, { message: `${path} does not match ${String(body.sha)}` }];
      fake.files.delete(path);
      return [200, { content: null, commit: { sha: "c0ffee" } }];
    }
    return [404, { message: "Not Found" }];
  }

  fake.server = await startHttpServer((req, res, body) => {
    const u = new URL(req.url ?? "/", "http://x");
    const request: FakeRequest = {
      method: req.method ?? "",
      path: u.pathname.startsWith(prefix) ? decodeURIComponent(u.pathname.slice(prefix.length)) : u.pathname,
      query: Object.fromEntries(u.searchParams),
      authorization: req.headers.authorization,
      body: body ? (JSON.parse(body) as Record<string, unknown>) : undefined,
      status: 0,
    };
    fake.before?.(request);
    const [status, data] = u.pathname.startsWith(prefix) ? answer(request) : [404, { message: "Not Found" }];
    request.status = status;
    fake.requests.push(request);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(data));
  });
  fake.baseUrl = fake.server.url;
  return fake;
}
