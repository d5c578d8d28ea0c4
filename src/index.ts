/**
 * Pulumi entry point: load and validate the stack config, check that the providers are signed in to the stack's
 * tenant, declare the baseline, export non-secret outputs only. Nothing is declared if the config is invalid or the
 * tenant is another (both throw first). Breakglass passwords never leave the state's secret store.
 *
 * An exported function, because the tenant check awaits the providers: the Pulumi CLI calls a program's exported
 * function and awaits it, and its result becomes the stack outputs (@pulumi/pulumi cmd/run/run.js, 3.248.0).
 */
import { loadConfig } from "./config/load";
import { baselineOutputs, declareBaseline } from "./components/baseline";

export = async () => baselineOutputs(await declareBaseline(loadConfig()));
