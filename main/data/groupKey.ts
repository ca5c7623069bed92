/**
 * Group keys keep related chips (same scene, vessel, serial) on one side of a split.
 * 'scene': OpenSARShip-style names `<scene-id>__<name>` → the scene id, i.e. the base name up to its
 *   LAST '__' (Sentinel-1 SLC ids such as `S1A_IW_SLC__1SSV_…` contain '__' themselves); no '__' → no group.
 * RegExp: matched against the sample key (relative path); the first capture group, or the whole
 * match when the pattern has none, is the group; no match → no group.
 */
export type GroupBy = 'none' | 'scene' | RegExp;

export function groupKeyFor(key: string, groupBy: GroupBy = 'none'): string | undefined {
  if (groupBy === 'none') return undefined;
  if (groupBy === 'scene') {
    const base = key.slice(key.lastIndexOf('/') + 1);
    const at = base.lastIndexOf('__');
    return at > 0 ? base.slice(0, at) : undefined;
  }
  const m = new RegExp(groupBy.source, groupBy.flags.replace('g', '').replace('y', '')).exec(key);
  if (!m) return undefined;
  const g = m.length > 1 ? m[1] : m[0];
  return g ? g : undefined;
}
