/**
 * ISO 8601 durations as Graph and ARM use them (`PT4H`, `P90D`, `PT5M`, `P1DT2H`).
 * Years and months are rejected: their length in seconds is ambiguous and no rule here needs them.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in an ISO 8601 duration, or undefined when the text is not one. */
export function durationSeconds(text: string): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!m || text.trim().toUpperCase() === "P" || /T$/.test(text.trim().toUpperCase())) return undefined;
  const [, w, d, h, min, s] = m;
  return (
    Number(w ?? 0) * 604_800 + Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)
  );
}

export function isDuration(text: string): boolean {
  return durationSeconds(text) !== undefined;
}

/** Human form for messages: 14400 → "4 hours", 90 → "1.5 minutes". */
export function describeSeconds(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round((seconds / size) * 100) / 100;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}
