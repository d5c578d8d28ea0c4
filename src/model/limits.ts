/**
 * The model's absolute bounds. A stack (its `limits` key) or a pack config may tighten them, never loosen them, so
 * the file a pull request edits cannot relax the rules that judge it. One definition for config validation, the
 * policy pack's config schemas and the audit.
 */
import { describeSeconds, durationSeconds } from "./duration";

export const MODEL_BOUNDS = {
  /** The longest a Tier-0 role may stay active after one activation (design: at most 4 h). */
  tier0MaxActivationSeconds: 4 * 3_600,
  /**
   * The shortest activation PIM accepts (30 minutes; the PIM-for-Groups policy in azuread accepts PT30M as its
   * smallest maximum, and the portal's slider starts at half an hour — docs/references.md). Shorter is no safer,
   * only refused by PIM.
   */
  minActivationSeconds: 30 * 60,
  /** The longest any activation may last in PIM (24 h), for roles outside Tier-0. */
  maxActivationSeconds: 24 * 3_600,
  /** CISA MS.AAD.7.1: 2 to 8 Global Administrators, eligible plus permanent. */
  globalAdmins: { min: 2, max: 8 },
  /** Days the sign-in and audit logs are kept at least (table and workspace retention). */
  minRetentionInDays: 90,
  /** Microsoft guidance and ZTA 21835: two or more emergency accounts. */
  minBreakglassAccounts: 2,
  /** Entra allows passwords up to 256 characters; the emergency accounts use all of them. */
  breakglassPasswordLength: 256,
} as const;

export interface StackLimits {
  activationDuration: { max: string };
  globalAdmins: { min: number; max: number };
  minRetentionInDays: number;
}

export const DEFAULT_LIMITS: StackLimits = {
  activationDuration: { max: "PT4H" },
  globalAdmins: { min: MODEL_BOUNDS.globalAdmins.min, max: MODEL_BOUNDS.globalAdmins.max },
  minRetentionInDays: MODEL_BOUNDS.minRetentionInDays,
};

export interface LimitProblem {
  /** Key path below `limits`, e.g. `activationDuration.max`. */
  path: string;
  message: string;
}

/** Every way `limits` loosens the model's bounds or contradicts itself; [] when it only tightens. */
export function limitsProblems(limits: StackLimits): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const max = durationSeconds(limits.activationDuration.max);
  if (max === undefined) {
    problems.push({
      path: "activationDuration.max",
      message: `${JSON.stringify(limits.activationDuration.max)} is not an ISO 8601 duration`,
    });
  } else if (max > MODEL_BOUNDS.tier0MaxActivationSeconds) {
    problems.push({
      path: "activationDuration.max",
      message: `${JSON.stringify(limits.activationDuration.max)} loosens the model's bound: Tier-0 activations last at most ${describeSeconds(MODEL_BOUNDS.tier0MaxActivationSeconds)} (a stack may only tighten it)`,
    });
  } else if (max < MODEL_BOUNDS.minActivationSeconds) {
    problems.push({
      path: "activationDuration.max",
      message: `${JSON.stringify(limits.activationDuration.max)} is shorter than PIM accepts (${describeSeconds(MODEL_BOUNDS.minActivationSeconds)})`,
    });
  }
  const { min, max: most } = limits.globalAdmins;
  if (min < MODEL_BOUNDS.globalAdmins.min) {
    problems.push({
      path: "globalAdmins.min",
      message: `${min} loosens the model's bound: at least ${MODEL_BOUNDS.globalAdmins.min} Global Administrators (CISA MS.AAD.7.1; the emergency accounts alone are two)`,
    });
  }
  if (most > MODEL_BOUNDS.globalAdmins.max) {
    problems.push({
      path: "globalAdmins.max",
      message: `${most} loosens the model's bound: at most ${MODEL_BOUNDS.globalAdmins.max} Global Administrators (CISA MS.AAD.7.1)`,
    });
  }
  if (min > most) problems.push({ path: "globalAdmins", message: `min ${min} is greater than max ${most}` });
  if (limits.minRetentionInDays < MODEL_BOUNDS.minRetentionInDays) {
    problems.push({
      path: "minRetentionInDays",
      message: `${limits.minRetentionInDays} loosens the model's bound: logs are kept at least ${MODEL_BOUNDS.minRetentionInDays} days`,
    });
  }
  return problems;
}

/**
 * The limits in force: the stack's where they tighten the model, the model's bound where they would loosen it. The
 * enforcers judge by these, so even a limits object that skipped validation (a hand-edited pack config) cannot relax
 * a rule.
 */
export function effectiveLimits(limits: Partial<StackLimits> | undefined): StackLimits {
  const max = durationSeconds(limits?.activationDuration?.max ?? "") ?? MODEL_BOUNDS.tier0MaxActivationSeconds;
  const min = Math.max(limits?.globalAdmins?.min ?? MODEL_BOUNDS.globalAdmins.min, MODEL_BOUNDS.globalAdmins.min);
  const most = Math.min(limits?.globalAdmins?.max ?? MODEL_BOUNDS.globalAdmins.max, MODEL_BOUNDS.globalAdmins.max);
  return {
    activationDuration: {
      max:
        max > MODEL_BOUNDS.tier0MaxActivationSeconds || !limits?.activationDuration?.max
          ? DEFAULT_LIMITS.activationDuration.max
          : limits.activationDuration.max,
    },
    globalAdmins: { min, max: most },
    minRetentionInDays: Math.max(
      limits?.minRetentionInDays ?? MODEL_BOUNDS.minRetentionInDays,
      MODEL_BOUNDS.minRetentionInDays,
    ),
  };
}
