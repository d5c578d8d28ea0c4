/**
 * The prefix of every Conditional Access policy this stack writes: how the authentication context's hijack check
 * tells the stack's own policies from other teams'. A module of its own that imports nothing, because that provider
 * is closure-serialized: importing it from policies.ts would carry the whole policy catalogue (and the model behind
 * it) into the provider's text.
 */
export const DISPLAY_NAME_PREFIX = "entra-baseline:";
