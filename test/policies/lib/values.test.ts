/** Reading props without tripping over preview-time unknowns: what the engine sends, behind the pack's proxy. */
import { describe, expect, it } from "vitest";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
  UNKNOWN,
  containsUnknown,
  isUnknown,
  raw,
  read,
  readArray,
  readBoolean,
  readNumber,
  readString,
} from "../../../policies/lib/values";
import { unknownStringValue } from "../../support/pack/unknowns";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as Record<string, string>;

const props = () =>
  unknownCheckingProxy({
    name: "x",
    enabled: true,
    count: 3,
    digits: "256",
    id: unknownStringValue,
    nested: { list: ["a", sentinels.unknownStringValue, 7], whole: sentinels.unknownArrayValue },
    flag: sentinels.unknownBooleanValue,
  });

describe("policies/lib/values", () => {
  it("knows every sentinel @pulumi/policy sends for an unknown, and nothing else", () => {
    for (const key of [
      "unknownStringValue",
      "unknownBooleanValue",
      "unknownNumberValue",
      "unknownArrayValue",
      "unknownObjectValue",
    ]) {
      expect(isUnknown(sentinels[key]), key).toBe(true);
    }
    expect(isUnknown(UNKNOWN)).toBe(true);
    expect(isUnknown("04da6b54-80e4-46f7-96ec-b56ff0331ba8")).toBe(false);
    expect(isUnknown(undefined)).toBe(false);
  });

  it("reads the data behind the proxy without throwing on an unknown (the proxy would skip the whole rule)", () => {
    const p = props();
    expect(() => (p as Record<string, unknown>).id).toThrow();
    expect(raw(p)).toMatchObject({ name: "x" });
    expect(read(p, "id")).toBe(UNKNOWN);
    expect(read(p, "nested", "list", 1)).toBe(UNKNOWN);
    expect(read(p, "nested", "whole", 0)).toBe(UNKNOWN);
    expect(read(p, "missing", "deeper")).toBeUndefined();
  });

  it("reads typed values: a wrong type is absent, an unknown stays unknown", () => {
    const p = props();
    expect(readString(p, "name")).toBe("x");
    expect(readString(p, "count")).toBeUndefined();
    expect(readString(p, "id")).toBe(UNKNOWN);
    expect(readBoolean(p, "enabled")).toBe(true);
    expect(readBoolean(p, "flag")).toBe(UNKNOWN);
    expect(readBoolean(p, "name")).toBeUndefined();
    expect(readNumber(p, "count")).toBe(3);
    expect(readNumber(p, "digits")).toBe(256);
    expect(readNumber(p, "name")).toBeUndefined();
  });

  it("reads arrays element by element, and a whole unknown array as unknown", () => {
    const p = props();
    expect(readArray(p, "nested", "list")).toEqual(["a", UNKNOWN, 7]);
    expect(readArray(p, "nested", "whole")).toBe(UNKNOWN);
    expect(readArray(p, "name")).toBeUndefined();
  });

  it("finds an unknown anywhere inside a value", () => {
    const p = props();
    expect(containsUnknown(read(p, "nested"))).toBe(true);
    expect(containsUnknown({ a: [{ b: "c" }] })).toBe(false);
    expect(containsUnknown([{ b: [sentinels.unknownNumberValue] }])).toBe(true);
  });
});
