// Argo CD applies lower waves first and waits for each to be healthy before the next: the CRD
// must be Established before the operator watches it, and the operator must run before an
// instance means anything. The same numbers order the child Applications of the app of apps.
export const syncWave = {
  crds: -2,
  operator: -1,
  instance: 0,
  monitoring: 1,
} as const;

export type WaveName = keyof typeof syncWave;

export const syncWaveAnnotation = 'argocd.argoproj.io/sync-wave';

/** The annotation that puts an object (or a child Application) in `wave`. */
export function waveAnnotations(wave: WaveName): Record<string, string> {
  return { [syncWaveAnnotation]: String(syncWave[wave]) };
}
