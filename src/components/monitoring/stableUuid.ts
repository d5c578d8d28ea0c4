import { createHash } from "node:crypto";

/**
 * A GUID derived from a stable seed (UUID v5 layout over SHA-256), for Azure names that must be GUIDs (workbooks,
 * role assignments): the same seed always gives the same name, so re-runs update rather than replace.
 */
export function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
