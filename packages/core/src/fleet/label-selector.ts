/**
 * Whether a tenant's labels satisfy a baseline document's `metadata.tenants` selector: every key of
 * the selector must be a label of the tenant with that value (an empty selector matches every tenant).
 */
export function matchesLabels(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
