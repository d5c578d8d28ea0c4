/**
 * The Azure portal of each cloud: where a person signs in (the drill's guidance) and where links in a message fall
 * back to. From the cloud metadata Azure's SDKs embed (docs/references.md, "National clouds"): portal.azure.com,
 * portal.azure.us (Azure Government, also DoD) and portal.azure.cn (Azure operated by 21Vianet).
 */
import type { CloudName } from "./clouds";

export const AZURE_PORTALS: Readonly<Record<CloudName, string>> = {
  public: "https://portal.azure.com",
  usGovernment: "https://portal.azure.us",
  usGovernmentDoD: "https://portal.azure.us",
  china: "https://portal.azure.cn",
};
