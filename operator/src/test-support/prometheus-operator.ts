// The Prometheus Operator's CRDs the operator uses, v0.95.2, generated from its API Go module
// (scripts/lib/gitops.sh, ensure_prometheus_operator_crds, exports $PROMETHEUS_OPERATOR_CRDS), installed into
// whichever API server $KUBECONFIG names.
import { kubectl } from './cluster.ts';

export const prometheusOperatorCrds = ['servicemonitors', 'prometheusrules'].map(
  (plural) => `${plural}.monitoring.coreos.com`,
);

export async function installPrometheusOperatorCrds(): Promise<void> {
  const dir = process.env.PROMETHEUS_OPERATOR_CRDS;
  if (!dir) throw new Error('PROMETHEUS_OPERATOR_CRDS is not set: run through `npm test`');
  const files = prometheusOperatorCrds.map(
    (crd) => `${dir}/monitoring.coreos.com_${crd.split('.')[0]}.yaml`,
  );
  await kubectl('apply', '--server-side', '--force-conflicts', ...files.flatMap((f) => ['-f', f]));
  await kubectl(
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    ...prometheusOperatorCrds.map((crd) => `crd/${crd}`),
  );
}
