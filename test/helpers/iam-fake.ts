/**
 * A local stand-in for AWS IAM's Query API (no IAM server runs offline): POST form bodies with
 * `Action=…`, XML replies shaped like IAM's. It keeps users, inline policies and keys, and refuses
 * what IAM refuses (a second user of one name, deleting a user that still has keys or policies),
 * so a client's order of calls is tested, not only its requests.
 */
import { startHttpServer } from "./http-server.js";

export interface IamCall {
  Action: string;
  /** The form fields except Action and Version. */
  params: Record<string, string>;
  /** The access key id the request was signed with. */
  keyId: string;
}

interface FakeUser {
  id: string;
  policies: Map<string, string>;
  keys: Map<string, string>;
}

export interface IamFake {
  url: string;
  calls: IamCall[];
  users: Map<string, FakeUser>;
  /** Answers the next call of `action` with this IAM error instead. */
  failNext(action: string, status: number, code: string, message: string): void;
}

const NS = "https://iam.amazonaws.com/doc/2010-05-08/";
const ACCOUNT = "123456789012";

export async function startIamFake(): Promise<IamFake> {
  const users = new Map<string, FakeUser>();
  const calls: IamCall[] = [];
  const failures = new Map<string, { status: number; code: string; message: string }>();
  let serial = 0;
  const server = await startHttpServer((req, res, body) => {
    const form = Object.fromEntries(new URLSearchParams(body));
    const { Action = "", Version, ...params } = form;
    const keyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "";
    calls.push({ Action, params, keyId });
    const reply = (status: number, xml: string) => {
      res.writeHead(status, { "content-type": "text/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    };
    const fail = (status: number, code: string, message: string) => reply(status,
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r${serial}</RequestId></ErrorResponse>`);
    const ok = (result = "") => reply(200,
      `<${Action}Response xmlns="${NS}">${result && `<${Action}Result>${result}</${Action}Result>`}<ResponseMetadata><RequestId>r${serial}</RequestId></ResponseMetadata></${Action}Response>`);
    serial++;
    const injected = failures.get(Action);
    if (injected) {
      failures.delete(Action);
      return fail(injected.status, injected.code, injected.message);
    }
    if (Version !== "2010-05-08") return fail(400, "InvalidParameterValue", `unexpected Version ${Version}`);
    const name = params.UserName ?? "";
    const user = users.get(name);
    const created = "2026-11-22T10:00:00Z";
    if (Action === "CreateUser") {
      if (user) return fail(409, "EntityAlreadyExists", `User with name ${name} already exists.`);
      const id = `AIDAFAKE${String(serial).padStart(12, "0")}`;
      users.set(name, { id, policies: new Map(), keys: new Map() });
      return ok(`<User><Path>/</Path><UserName>${name}</UserName><UserId>${id}</UserId><Arn>arn:aws:iam::${ACCOUNT}:user/${name}</Arn><CreateDate>${created}</CreateDate></User>`);
    }
    if (!user) return fail(404, "NoSuchEntity", `The user with name ${name} cannot be found.`);
    switch (Action) {
      case "PutUserPolicy":
        user.policies.set(params.PolicyName!, params.PolicyDocument!);
        return ok();
      case "CreateAccessKey": {
        const id = `AKIAFAKE${String(serial).padStart(12, "0")}`;
        const secret = `fake-secret-${serial}/abc+def`;
        user.keys.set(id, secret);
        return ok(`<AccessKey><UserName>${name}</UserName><AccessKeyId>${id}</AccessKeyId><Status>Active</Status><SecretAccessKey>${secret}</SecretAccessKey><CreateDate>${created}</CreateDate></AccessKey>`);
      }
      case "DeleteAccessKey":
        if (!user.keys.delete(params.AccessKeyId!)) return fail(404, "NoSuchEntity", `The Access Key with id ${params.AccessKeyId} cannot be found.`);
        return ok();
      case "DeleteUserPolicy":
        if (!user.policies.delete(params.PolicyName!)) return fail(404, "NoSuchEntity", `The user policy with name ${params.PolicyName} cannot be found.`);
        return ok();
      case "DeleteUser":
        if (user.keys.size || user.policies.size) return fail(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        users.delete(name);
        return ok();
      default:
        return fail(400, "InvalidAction", `Could not find operation ${Action} for version 2010-05-08`);
    }
  });
  return {
    url: server.url, calls, users,
    failNext: (action, status, code, message) => void failures.set(action, { status, code, message }),
  };
}
