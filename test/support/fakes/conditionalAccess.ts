/**
 * Conditional Access and authentication contexts on the loopback Graph, with the documented shapes: POST answers
 * 201 with the stored policy, PATCH 204, DELETE 204; reads add what Graph adds (empty lists for unset conditions,
 * the authentication strength expanded with its annotations, timestamps). Every CA request is time-stamped so tests
 * can check the client's 1 request/second spacing.
 */
import { randomUUID } from "node:crypto";
import type { FakeGraph, FakeRequest } from "./graphServer";
import { graphError } from "./graphServer";

export const CA_ROUTES = {
  policies: "/v1.0/identity/conditionalAccess/policies",
  policy: /^\/v1\.0\/identity\/conditionalAccess\/policies\/[^/]+$/,
  context: /^\/v1\.0\/identity\/conditionalAccess\/authenticationContextClassReferences\/[^/]+$/,
};

type Json = Record<string, any>;

export class FakeConditionalAccess {
  readonly policies = new Map<string, Json>();
  readonly contexts = new Map<string, Json>();
  /** Arrival time of every CA request (ms). */
  readonly times: number[] = [];
  /** When set, PATCHes answer 204 but this field is not stored (Graph's "accepted, not persisted"). */
  dropOnPatch?: string;

  install(graph: FakeGraph): this {
    const stamp =
      <T>(fn: (req: FakeRequest) => T) =>
      (req: FakeRequest) => {
        this.times.push(Date.now());
        return fn(req);
      };
    graph.route(
      "GET",
      CA_ROUTES.policies,
      stamp(() => ({ body: { "@odata.context": "…/policies", value: [...this.policies.values()].map(render) } })),
    );
    graph.route(
      "POST",
      CA_ROUTES.policies,
      stamp((req) => {
        const id = randomUUID();
        this.policies.set(id, { ...(req.body as Json), id });
        return { status: 201, body: render(this.policies.get(id)!) };
      }),
    );
    graph.route(
      "GET",
      CA_ROUTES.policy,
      stamp((req) => {
        const p = this.policies.get(last(req));
        return p ? { body: render(p) } : notFound(req);
      }),
    );
    graph.route(
      "PATCH",
      CA_ROUTES.policy,
      stamp((req) => {
        const p = this.policies.get(last(req));
        if (!p) return notFound(req);
        const patch = { ...(req.body as Json) };
        if (this.dropOnPatch) delete patch[this.dropOnPatch];
        Object.assign(p, patch);
        return { status: 204 };
      }),
    );
    graph.route(
      "DELETE",
      CA_ROUTES.policy,
      stamp((req) => (this.policies.delete(last(req)) ? { status: 204 } : notFound(req))),
    );
    graph.route(
      "GET",
      CA_ROUTES.context,
      stamp((req) => {
        const c = this.contexts.get(last(req));
        return c ? { body: { "@odata.context": "…/$entity", ...c } } : notFound(req);
      }),
    );
    graph.route(
      "PATCH",
      CA_ROUTES.context,
      stamp((req) => {
        const id = last(req);
        const patch = { ...(req.body as Json) };
        if (this.dropOnPatch) delete patch[this.dropOnPatch];
        this.contexts.set(id, {
          id,
          displayName: null,
          description: null,
          isAvailable: false,
          ...this.contexts.get(id),
          ...patch,
        });
        return { status: 204 };
      }),
    );
    return this;
  }
}

function last(req: FakeRequest): string {
  return decodeURIComponent(req.url.pathname.split("/").pop()!);
}

function notFound(req: FakeRequest) {
  return { status: 404, body: graphError("ResourceNotFound", `${req.url.pathname} was not found`) };
}

/** A stored policy as Graph's GET returns it. */
function render(p: Json): Json {
  const users = p.conditions?.users ?? {};
  const apps = p.conditions?.applications ?? {};
  const grant = p.grantControls ?? null;
  return {
    id: p.id,
    templateId: null,
    displayName: p.displayName,
    createdDateTime: "2026-01-01T00:00:00Z",
    modifiedDateTime: null,
    state: p.state,
    sessionControls: p.sessionControls
      ? { disableResilienceDefaults: null, persistentBrowser: null, cloudAppSecurity: null, ...p.sessionControls }
      : null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: p.conditions?.clientAppTypes ?? [],
      platforms: null,
      locations: null,
      applications: {
        includeApplications: [],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        ...apps,
      },
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        ...users,
      },
    },
    grantControls: grant && {
      operator: grant.operator,
      builtInControls: grant.builtInControls ?? [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      "authenticationStrength@odata.context": "…/authenticationStrength/$entity",
      authenticationStrength: grant.authenticationStrength
        ? {
            id: grant.authenticationStrength.id,
            displayName: "Phishing-resistant MFA",
            policyType: "builtIn",
            requirementsSatisfied: "mfa",
            allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
          }
        : null,
    },
  };
}
