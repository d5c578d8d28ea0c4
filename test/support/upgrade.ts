/**
 * Upgrade checks without the Pulumi CLI: a stack deployed with an earlier version is represented by the
 * fingerprint of that version's plan of the test stack (its `npm run plan -- --export`), and the current program's
 * plan is compared with it resource by resource. A URN that disappears is a delete; a changed input that the
 * provider replaces on is a replace.
 *
 * The fingerprint keeps each resource's URN, type, protect/retainOnDelete and a hash per input (the serialized
 * dynamic-provider code is left out: it is not an input the provider diffs), so fixtures stay small and hold no
 * values. Regenerate one from an export with `writeFingerprint` (see test/support/fixtures/upgrade/README.md).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import type { StackExportV3 } from "../../src/tools/engine/stackExport";

export interface ResourceFingerprint {
  urn: string;
  type: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** Input name → sha256 of its canonical JSON (first 16 hex digits). */
  inputs: Record<string, string>;
}

export interface PlanFingerprint {
  /** Which version planned it, and how. */
  source: string;
  resources: ResourceFingerprint[];
}

const SKIPPED_INPUTS = new Set(["__provider"]);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

export function fingerprintOf(exported: StackExportV3, source: string): PlanFingerprint {
  return {
    source,
    resources: exported.deployment.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      protect: r.protect === true,
      retainOnDelete: r.retainOnDelete === true,
      inputs: Object.fromEntries(
        Object.entries(r.inputs ?? {})
          .filter(([k]) => !SKIPPED_INPUTS.has(k))
          .map(([k, v]) => [k, createHash("sha256").update(canonical(v)).digest("hex").slice(0, 16)]),
      ),
    })),
  };
}

export function readFingerprint(file: string): PlanFingerprint {
  return JSON.parse(fs.readFileSync(file, "utf8")) as PlanFingerprint;
}

export function writeFingerprint(exportFile: string, out: string, source: string): void {
  const exported = JSON.parse(fs.readFileSync(exportFile, "utf8")) as StackExportV3;
  fs.writeFileSync(out, `${JSON.stringify(fingerprintOf(exported, source), null, 2)}\n`);
}

export interface UpgradeDiff {
  /** In the deployed stack, not in the new plan: Pulumi would delete them. */
  deleted: ResourceFingerprint[];
  /** In the new plan only. */
  created: ResourceFingerprint[];
  /** URN → the inputs whose value changed (added or removed inputs included). */
  changed: Map<string, string[]>;
}

export function upgradeDiff(deployed: PlanFingerprint, planned: PlanFingerprint): UpgradeDiff {
  const next = new Map(planned.resources.map((r) => [r.urn, r]));
  const before = new Set(deployed.resources.map((r) => r.urn));
  const changed = new Map<string, string[]>();
  for (const old of deployed.resources) {
    const now = next.get(old.urn);
    if (!now) continue;
    const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(now.inputs)])].sort();
    const diff = keys.filter((k) => old.inputs[k] !== now.inputs[k]);
    if (diff.length > 0) changed.set(old.urn, diff);
  }
  return {
    deleted: deployed.resources.filter((r) => !next.has(r.urn)),
    created: planned.resources.filter((r) => !before.has(r.urn)),
    changed,
  };
}
