/**
 * Writes a proposal into a stack file: a new `Pulumi.<stack>.yaml`, or the changes to an existing one, through the
 * `yaml` package's Document API so that every comment, key order and value the user wrote stays as written. What an
 * existing file already decides wins (its approvers, its recipients, its context, its CA states); lists of people are
 * unioned (existing entries first); emergency accounts are matched by object id, then by name. Anything that cannot
 * be merged without guessing — a section that is not a map, an account whose name or object id contradicts the
 * tenant — is a StackMergeError (exit 2), and nothing is written.
 */
import { isMap, isScalar, isSeq, parseDocument, Document, YAMLMap, YAMLSeq, type Node } from "yaml";
import { resolveRole } from "@entra-baseline/model";
import { UserInputError } from "../../cli/errors";
import { CONFIG_NAMESPACE } from "../../config/validate";
import { lower } from "../audit/raw";
import type { Proposal, ProposedAccount } from "./propose";
import type { TenantView } from "./view";

export class StackMergeError extends UserInputError {
  constructor(file: string, problem: string) {
    super(`${file}: cannot merge the proposal into this stack file: ${problem}; nothing was written`);
  }
}

export interface MergeResult {
  text: string;
  /** What changed, one line each, for the report. */
  changes: string[];
}

type Path = (string | number)[];

export function mergeStackFile(
  existingText: string | undefined,
  file: string,
  proposal: Proposal,
  view: TenantView,
  header: string,
): MergeResult {
  const doc = existingText === undefined ? new Document({ config: {} }) : parseDocument(existingText);
  const fail = (problem: string): never => {
    throw new StackMergeError(file, problem);
  };
  if (doc.errors.length > 0) fail(`it is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`);
  if (existingText === undefined) doc.commentBefore = header;
  const changes: string[] = [];
  const key = (k: string) => `${CONFIG_NAMESPACE}:${k}`;
  const show = (path: Path) =>
    path
      .slice(1)
      .map((p, i) =>
        typeof p === "number" ? `[${p}]` : i === 0 ? String(p).replace(`${CONFIG_NAMESPACE}:`, "") : `.${p}`,
      )
      .join("");

  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) fail("its top level is not a map");
  const mapAt = (path: Path): YAMLMap => {
    const node = doc.getIn(path, true) as Node | undefined;
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      doc.setIn(path, doc.createNode({}));
      return doc.getIn(path, true) as YAMLMap;
    }
    if (!isMap(node)) fail(`${show(path) || path.join(".")} is not a map`);
    return node as YAMLMap;
  };
  const seqAt = (path: Path): YAMLSeq => {
    const node = doc.getIn(path, true) as Node | undefined;
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      doc.setIn(path, doc.createNode([]));
      return doc.getIn(path, true) as YAMLSeq;
    }
    if (!isSeq(node)) fail(`${show(path)} is not a list`);
    return node as YAMLSeq;
  };
  const setIfAbsent = (path: Path, value: unknown, comment?: string): boolean => {
    const parent = mapAt(path.slice(0, -1));
    const k = path[path.length - 1] as string;
    if (parent.has(k)) return false;
    const pair = doc.createPair(k, value);
    if (comment) (pair.key as Node).commentBefore = comment;
    parent.add(pair);
    changes.push(`set ${show(path)}`);
    return true;
  };
  /** Adds each value the list does not hold yet (`same` normalizes for comparison); returns those added. */
  const appendUnique = (path: Path, values: readonly string[], same: (v: string) => string, why?: string) => {
    if (values.length === 0) return [];
    const seq = seqAt(path);
    const present = new Set(seq.items.map((i) => (isScalar(i) ? same(String(i.value)) : "")));
    const added: string[] = [];
    for (const v of values) {
      if (present.has(same(v))) continue;
      const node = doc.createNode(v);
      if (why) node.comment = ` ${why}`;
      seq.add(node);
      present.add(same(v));
      added.push(v);
    }
    if (added.length > 0) changes.push(`added to ${show(path)}: ${added.join(", ")}`);
    return added;
  };
  const userKey = (ref: string) => lower(view.userByRef(ref)?.id) ?? ref.trim().toLowerCase();
  const plain = (v: string) => v.trim().toLowerCase();
  const roleKey = (v: string) => resolveRole(v)?.templateId ?? plain(v);

  const root: Path = ["config"];
  mapAt(root);
  const v = proposal.values;

  // tenant
  const tenant: Path = [...root, key("tenant")];
  const t = mapAt(tenant);
  const tenantId = t.get("tenantId");
  if (tenantId !== undefined && plain(String(tenantId)) !== v.tenant.tenantId)
    fail(`tenant.tenantId is ${String(tenantId)}, but the tenant read is ${v.tenant.tenantId}`);
  setIfAbsent([...tenant, "tenantId"], v.tenant.tenantId);
  if (v.tenant.initialDomain) {
    const domain = t.get("initialDomain");
    if (domain !== undefined && plain(String(domain)) !== v.tenant.initialDomain)
      fail(`tenant.initialDomain is ${String(domain)}, but the tenant's initial domain is ${v.tenant.initialDomain}`);
    setIfAbsent([...tenant, "initialDomain"], v.tenant.initialDomain);
  }

  // pim
  const pim: Path = [...root, key("pim")];
  mapAt(pim);
  appendUnique([...pim, "eligibleAdmins"], v.pim.eligibleAdmins, userKey, "adopted: holds Global Administrator today");
  appendUnique(
    [...pim, "eligibleGroups"],
    v.pim.eligibleGroups,
    plain,
    "adopted: eligible for Global Administrator today",
  );
  if (v.pim.approvers)
    setIfAbsent([...pim, "approvers"], v.pim.approvers, " adopted from the live Global Administrator policy (review)");
  if (v.pim.notificationRecipients) setIfAbsent([...pim, "notificationRecipients"], v.pim.notificationRecipients);
  if (v.pim.authenticationContextId) setIfAbsent([...pim, "authenticationContextId"], v.pim.authenticationContextId);
  if (v.pim.roles.length > 0) {
    const roles = seqAt([...pim, "roles"]);
    for (const role of v.pim.roles) {
      const index = roles.items.findIndex(
        (i) => isMap(i) && roleKey(String(i.get("role") ?? "")) === roleKey(role.role),
      );
      if (index < 0) {
        const node = doc.createNode({
          role: role.role,
          eligibleUsers: role.eligibleUsers,
          ...(role.eligibleGroups.length > 0 ? { eligibleGroups: role.eligibleGroups } : {}),
          ...(role.approvers ? { approvers: role.approvers } : {}),
        }) as YAMLMap;
        if (role.approvers) node.commentBefore = ` approvers from ${role.role}'s live policy`;
        roles.add(node);
        changes.push(`added pim.roles entry ${role.role}`);
        continue;
      }
      appendUnique([...pim, "roles", index, "eligibleUsers"], role.eligibleUsers, userKey);
      appendUnique([...pim, "roles", index, "eligibleGroups"], role.eligibleGroups, plain);
    }
  }
  if (v.pim.groups.length > 0) {
    const groups = seqAt([...pim, "groups"]);
    for (const group of v.pim.groups) {
      const index = groups.items.findIndex((i) => isMap(i) && plain(String(i.get("group") ?? "")) === group.group);
      if (index < 0) {
        groups.add(doc.createNode(group));
        changes.push(`added pim.groups entry ${group.label ?? group.group}`);
        continue;
      }
      appendUnique([...pim, "groups", index, "roles"], group.roles, roleKey);
      appendUnique([...pim, "groups", index, "eligibleMembers"], group.eligibleMembers, userKey);
    }
  }

  // exceptions
  if (v.exceptions.length > 0) {
    const exceptions = seqAt([...root, key("exceptions")]);
    const present = new Set(exceptions.items.map((i) => (isMap(i) ? plain(String(i.get("principal") ?? "")) : "")));
    for (const e of v.exceptions) {
      if (present.has(e.principal)) continue;
      const node = doc.createNode(e) as YAMLMap;
      node.commentBefore = ` proposed by adopt: fill in the reason and owner, and shorten the expiry to what you need`;
      exceptions.add(node);
      changes.push(`added exception for ${e.label} (${e.principal})`);
    }
  }

  // breakglass
  mergeBreakglass([...root, key("breakglass")]);

  // conditionalAccess
  for (const [purpose, setting] of Object.entries(v.conditionalAccess)) {
    const path: Path = [...root, key("conditionalAccess"), purpose];
    setIfAbsent([...path, "state"], setting.state, " as the adopted policy is today (adopting never weakens it)");
    if (setting.strength) setIfAbsent([...path, "strength"], setting.strength);
  }

  // monitoring (a new stack only)
  if (v.monitoring) setIfAbsent([...root, key("monitoring")], v.monitoring, " proposed by adopt: review");

  return { text: doc.toString({ lineWidth: 0 }), changes };

  function mergeBreakglass(path: Path): void {
    const bg = mapAt(path);
    const adopted = v.breakglass.accounts.filter((a) => a.objectId);
    const accountsNode = bg.get("accounts", true) as Node | undefined;
    if (accountsNode === undefined) {
      const count = bg.get("count");
      const prefix = typeof bg.get("namePrefix") === "string" ? String(bg.get("namePrefix")) : "breakglass";
      const want = Math.max(typeof count === "number" ? count : 2, adopted.length);
      const accounts: ProposedAccount[] = [...adopted];
      for (let i = 1; accounts.length < want; i++) {
        const name = `${prefix}-${String(i).padStart(2, "0")}`;
        if (!accounts.some((a) => a.name === name)) accounts.push({ name, displayName: `Emergency access ${name}` });
      }
      if (adopted.length > 0 || count === undefined) {
        if (bg.has("count")) {
          bg.delete("count");
          changes.push("removed breakglass.count (breakglass.accounts lists the accounts)");
        }
        setIfAbsent(
          [...path, "accounts"],
          accounts.map(accountValue),
          " adopted emergency accounts (object ids) and any the stack creates",
        );
      }
    } else if (isSeq(accountsNode)) {
      const items = (accountsNode as YAMLSeq).items;
      for (const a of adopted) {
        const byId = items.findIndex((i) => isMap(i) && plain(String(i.get("objectId") ?? "")) === a.objectId);
        const byName = items.findIndex((i) => isMap(i) && plain(String(i.get("name") ?? "")) === plain(a.name));
        if (byId >= 0) {
          const name = String((items[byId] as YAMLMap).get("name"));
          if (plain(name) !== plain(a.name))
            fail(`breakglass.accounts[${byId}] names account ${a.objectId} "${name}", but its UPN is ${a.name}@…`);
          continue;
        }
        if (byName >= 0) {
          const item = items[byName] as YAMLMap;
          if (item.has("objectId"))
            fail(
              `breakglass.accounts[${byName}] "${a.name}" has objectId ${String(item.get("objectId"))}, but the tenant's ${a.name} is ${a.objectId}`,
            );
          item.set("objectId", a.objectId);
          if (a.password && !item.has("password")) item.set("password", a.password);
          changes.push(`set breakglass.accounts[${byName}].objectId (${a.name})`);
          continue;
        }
        (accountsNode as YAMLSeq).add(doc.createNode(accountValue(a)));
        changes.push(`added emergency account ${a.name} (${a.objectId}) to breakglass.accounts`);
      }
    } else fail("breakglass.accounts is not a list");
    if (v.breakglass.groupName) {
      const current = bg.get("groupName");
      if (current === undefined)
        setIfAbsent(
          [...path, "groupName"],
          v.breakglass.groupName,
          " the group the emergency accounts are excluded through today",
        );
      else if (String(current) !== v.breakglass.groupName)
        changes.push(
          `kept breakglass.groupName "${String(current)}" (the tenant's emergency accounts are excluded through "${v.breakglass.groupName}")`,
        );
    }
    if (v.breakglass.usageLocation) setIfAbsent([...path, "usageLocation"], v.breakglass.usageLocation);
  }
}

function accountValue(a: ProposedAccount): Record<string, string> {
  return {
    name: a.name,
    displayName: a.displayName,
    ...(a.objectId ? { objectId: a.objectId } : {}),
    ...(a.password ? { password: a.password } : {}),
  };
}
