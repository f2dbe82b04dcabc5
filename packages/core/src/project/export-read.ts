import { UserError } from '../diagnostics.js';
import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities } from '../kind-operations.js';
import { didYouMean } from '../manifest/suggest.js';
import type { RemoteObject } from '../provider.js';
import { type ExportNote, type ExportResult, exportManifests } from './export-manifests.js';
import type { ConfiguredProvider, Project } from './project.js';

/** The configured provider `roster export --provider NAME` names, or a UserError saying which exist. */
export function providerToExport(project: Project, name: string): ConfiguredProvider {
  const configured = project.providers.get(name);
  if (configured) return configured;
  const known = [...project.providers.keys()].sort();
  throw new UserError(
    `no Provider document named ${name} in the manifests${didYouMean(name, known)}; ${
      known.length > 0 ? `configured providers: ${known.join(', ')}` : 'add one (kind: Provider) first'
    }`,
  );
}

/**
 * Read every object of the provider's readable kinds (or of `kind` only) with the system's bulk list,
 * and turn them into manifests. Kinds the system cannot read are left out with a note.
 */
export async function readForExport(req: {
  configured: ConfiguredProvider;
  connection: KindSession;
  kind?: string;
}): Promise<ExportResult> {
  const { configured } = req;
  const all = Object.keys(configured.provider.kinds);
  if (req.kind !== undefined && !all.includes(req.kind))
    throw new UserError(
      `provider ${configured.name} (${configured.provider.type}) has no kind ${req.kind}${didYouMean(req.kind, all)}; its kinds: ${all.join(', ')}`,
    );
  const notes: ExportNote[] = [];
  const objects = new Map<string, RemoteObject[]>();
  // With --kind, the kinds it references are read too: their objects name the references' targets.
  const wanted = req.kind !== undefined ? [req.kind, ...referencedKinds(configured, req.kind)] : all;
  for (const kind of all.filter((k) => wanted.includes(k))) {
    const def = configured.provider.kinds[kind]!;
    if (kindCapabilities(def).read === 'none') {
      if (req.kind === undefined || kind === req.kind)
        notes.push({
          kind,
          message: `${kind}: not exported: ${configured.provider.displayName} has no API that reads ${kind} objects; write their manifests by hand (roster plans them as manual steps and records them once a person confirms them: roster apply --confirm ADDR)`,
        });
      continue;
    }
    objects.set(kind, (await apiMethod(req.connection, 'list', kind)({ kind })).objects);
  }
  const result = exportManifests({
    providerName: configured.name,
    provider: configured.provider,
    config: configured.config,
    objects,
  });
  const only = (k: string) => req.kind === undefined || k === req.kind;
  return {
    manifests: result.manifests.filter((m) => only(m.kind)),
    notes: [...notes, ...result.notes.filter((n) => only(n.kind))],
  };
}

/** Kinds the attributes of `kind` reference (same provider). */
function referencedKinds(configured: ConfiguredProvider, kind: string): string[] {
  const rules = Object.values(configured.provider.kinds[kind]?.attributes ?? {});
  return [...new Set(rules.flatMap((r) => (r.ref ? [r.ref] : [])))];
}
