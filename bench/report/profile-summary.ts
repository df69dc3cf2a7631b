import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function in a V8 .cpuprofile, as shares of all samples, largest first. */
export async function selfTimeShares(path: string): Promise<{ name: string; share: number }[]> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const weights = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
    const name = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    const weight = profile.timeDeltas[i] ?? 0;
    weights.set(name, (weights.get(name) ?? 0) + weight);
    total += weight;
  });
  return [...weights.entries()]
    .map(([name, weight]) => ({ name, share: weight / total }))
    .sort((a, b) => b.share - a.share);
}
