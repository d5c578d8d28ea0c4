/**
 * The prefix of every Conditional Access policy this stack writes: how the authentication context's hijack check
 * tells the stack's own policies from other teams'. A module of its own that imports nothing: importing it from
 * policies.ts would carry the whole policy catalogue (and the model behind it) into that provider's bundle.
 */
export const DISPLAY_NAME_PREFIX = "entra-baseline:";
