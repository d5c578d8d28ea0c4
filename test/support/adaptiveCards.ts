/**
 * Holds an Adaptive Card to the published 1.4 schema (test/support/schemas, with its source) and renders it with
 * Microsoft's own HTML renderer (`adaptivecards`), the two checks we can make without Teams. Ajv validates draft-06;
 * the schema's formats (uri, uri-reference) are checked by the tests themselves, since no format plugin is installed.
 */
import * as path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json";
import schema from "./schemas/adaptive-card-1.4.0.json";

let validate: ((card: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Problems of `card` against the Adaptive Card 1.4 schema, as "path: message"; empty when valid. */
export function adaptiveCardSchemaErrors(card: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addMetaSchema(draft06);
    // The published file names itself with draft-04's `id`; Ajv 8 reads draft-06's `$id` only.
    const { id, ...rest } = schema as { id: string } & Record<string, unknown>;
    validate = ajv.compile({ $id: id, ...rest });
  }
  return validate(card) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "(card)"}: ${e.message}`);
}

/** The renderer's browser bundle (UMD, global `AdaptiveCards`), for page.addScriptTag. */
export const ADAPTIVE_CARDS_BUNDLE = path.join(
  path.dirname(require.resolve("adaptivecards/package.json")),
  "dist",
  "adaptivecards.min.js",
);
