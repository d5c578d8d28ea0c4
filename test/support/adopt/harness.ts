/** Shared set-up for the adopt tests: the committed brownfield snapshot, and adopt run over it at a fixed time. */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { adopt, type AdoptInput, type AdoptResult } from "../../../src/tools/adopt/adopt";
import { parseAdoptSnapshot, type AdoptSnapshot } from "../../../src/tools/adopt/snapshot";
import { BROWNFIELD_SNAPSHOT, TAKEN_AT } from "./brownfieldSnapshot";

export { BROWNFIELD_SNAPSHOT, TAKEN_AT };

export function brownfieldSnapshot(): AdoptSnapshot {
  return parseAdoptSnapshot(JSON.parse(fs.readFileSync(BROWNFIELD_SNAPSHOT, "utf8")), BROWNFIELD_SNAPSHOT);
}

/** An existing stack file as the CLI hands it to the core (text, path, our keys). */
export function existingStack(text: string, file = "Pulumi.prod.yaml"): NonNullable<AdoptInput["existing"]> {
  const config = (parseDocument(text).toJS() as { config?: Record<string, unknown> }).config ?? {};
  const raw = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("entra-baseline:"))
      .map(([k, v]) => [k.slice("entra-baseline:".length), v]),
  );
  return { text, file, raw, passthrough: {} };
}

export function adoptBrownfield(options: Partial<AdoptInput> = {}): Promise<AdoptResult> {
  return adopt({
    snapshot: brownfieldSnapshot(),
    stack: "prod",
    password: "keep",
    now: new Date(TAKEN_AT),
    ...options,
  });
}

/** The config the written stack file declares (our keys), as YAML parses it. */
export function writtenConfig(result: AdoptResult): Record<string, any> {
  const config = (parseDocument(result.stackText).toJS() as { config: Record<string, unknown> }).config;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("entra-baseline:"))
      .map(([k, v]) => [k.slice("entra-baseline:".length), v]),
  );
}
