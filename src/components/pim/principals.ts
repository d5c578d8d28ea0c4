/**
 * Config names users by UPN or object id; Graph and azuread need object ids. UPNs are resolved with
 * azuread.getUser at deploy time (and at preview: invokes run then too), object ids pass through untouched.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { GUID } from "@entra-baseline/model";

export type UserResolver = (upnOrObjectId: string) => pulumi.Output<string>;

/** One lookup per distinct user, however often it appears (an admin can also approve others). */
export function userResolver(parent: pulumi.Resource): UserResolver {
  const cache = new Map<string, pulumi.Output<string>>();
  return (value) => {
    const key = value.toLowerCase();
    let id = cache.get(key);
    if (!id) {
      id = GUID.test(value)
        ? pulumi.output(key)
        : azuread.getUserOutput({ userPrincipalName: value }, { parent }).objectId;
      cache.set(key, id);
    }
    return id;
  };
}

/**
 * The part of a child resource name that stands for a user: stable across runs and readable in the plan
 * (`adele.vance@contoso.com` → `adele-vance-contoso-com`, object ids lower-cased).
 */
export function principalSlug(upnOrObjectId: string): string {
  return upnOrObjectId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Slugs for a list of users; two users that would share a child name are an error, not a silent URN clash. */
export function principalSlugs(values: readonly string[], path: string): string[] {
  const seen = new Map<string, string>();
  return values.map((value) => {
    const slug = principalSlug(value);
    const prior = seen.get(slug);
    if (prior !== undefined)
      throw new Error(
        `${path}: "${value}" and "${prior}" would both be named "${slug}"; list one of them by object id`,
      );
    seen.set(slug, value);
    return slug;
  });
}
