/**
 * Which pillar each finding kind and each tenant read belongs to, for the HTML report's "posture at a glance": a
 * finding's pillar is its rule's in the model catalogue, a source's the pillars of the checks that read it (a finding
 * kind that reports no catalogue rule fails at load).
 */
import { entryOfFinding, PILLARS, type Pillar } from "@entra-baseline/model";
import { CHECKS } from "./audit";
import { FINDING_KINDS, type Finding, type FindingId } from "./findings";
import { CONDITIONAL_SOURCES, KEYED_SOURCES, LIST_SOURCES, type SourceName } from "./snapshot";

export { PILLARS, type Pillar } from "@entra-baseline/model";
export const PILLAR_KEYS = Object.keys(PILLARS) as Pillar[];

/** The pillar of every finding kind but a failed read: its rule's in the catalogue. */
export const FINDING_PILLARS: Readonly<Record<Exclude<FindingId, "AUD-READ-FAILED">, Pillar>> = Object.fromEntries(
  (Object.keys(FINDING_KINDS) as FindingId[])
    .filter((id) => id !== "AUD-READ-FAILED")
    .map((id) => {
      const entry = entryOfFinding(id);
      if (!entry) throw new Error(`finding kind ${id} reports no rule of the catalogue (src/model/catalogue.ts)`);
      return [id, entry.pillar];
    }),
) as Record<Exclude<FindingId, "AUD-READ-FAILED">, Pillar>;

/** The pillars whose checks read each source (audit.ts CHECKS): a failed read leaves them not fully checked. */
export const SOURCE_PILLARS: Readonly<Record<SourceName, readonly Pillar[]>> = Object.fromEntries(
  [...LIST_SOURCES, ...CONDITIONAL_SOURCES, ...KEYED_SOURCES].map((source) => [
    source,
    [...new Set(CHECKS.filter((c) => c.reads.includes(source)).flatMap((c) => c.pillars))],
  ]),
) as unknown as Record<SourceName, readonly Pillar[]>;

const SOURCES: readonly string[] = [...LIST_SOURCES, ...CONDITIONAL_SOURCES, ...KEYED_SOURCES];

/** The source a failed-read finding names ("source users"), if it is one. */
export function failedSource(finding: Finding): SourceName | undefined {
  const source = finding.object.replace(/^source /, "");
  return finding.id === "AUD-READ-FAILED" && SOURCES.includes(source) ? (source as SourceName) : undefined;
}

/** The pillar of a finding; a failed read has none of its own (it qualifies the pillars of its source). */
export function pillarOf(finding: Finding): Pillar | undefined {
  return finding.id === "AUD-READ-FAILED" ? undefined : FINDING_PILLARS[finding.id];
}
