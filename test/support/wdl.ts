/**
 * Just enough of the Logic Apps Workflow Definition Language to evaluate what the chat workflows use against a
 * sample request: string interpolation `@{…}`, whole-string expressions `@…`, `triggerBody()` with `?['name']` and
 * `?[index]` safe navigation, `parameters('name')`, `coalesce(a, 'literal')`. Anything else throws, so a workflow
 * that starts using more is noticed here rather than in Azure.
 */
export interface WdlContext {
  triggerBody: unknown;
  parameters: Record<string, unknown>;
}

/** Evaluates every string of `value` (recursively) as the workflow engine would. */
export function evaluateWdl(value: unknown, ctx: WdlContext): unknown {
  if (typeof value === "string") return evaluateString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateWdl(v, ctx));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateWdl(v, ctx)]));
  return value;
}

function evaluateString(text: string, ctx: WdlContext): unknown {
  if (text.startsWith("@@")) return text.slice(1);
  if (text.startsWith("@") && !text.startsWith("@{")) return expression(text.slice(1), ctx);
  return text.replace(/@\{([^}]*)\}/g, (_m, expr: string) => {
    const v = expression(expr, ctx);
    return v === null || v === undefined ? "" : String(v);
  });
}

function expression(expr: string, ctx: WdlContext): unknown {
  const e = expr.trim();
  let m = /^coalesce\((.*),\s*'([^']*)'\)$/.exec(e);
  if (m) return expression(m[1]!, ctx) ?? m[2];
  m = /^parameters\('([^']+)'\)$/.exec(e);
  if (m) return ctx.parameters[m[1]!];
  m = /^triggerBody\(\)((?:\?\[(?:'[^']*'|\d+)\])*)$/.exec(e);
  if (m) {
    let v: unknown = ctx.triggerBody;
    for (const step of m[1]!.matchAll(/\?\[(?:'([^']*)'|(\d+))\]/g)) {
      if (v === null || v === undefined) return null;
      v = step[1] !== undefined ? (v as Record<string, unknown>)[step[1]] : (v as unknown[])[Number(step[2])];
    }
    return v ?? null;
  }
  throw new Error(`evaluateWdl: unsupported expression ${expr}`);
}
