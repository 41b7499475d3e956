// The ingress controller's view of the cluster: informers on Ingresses, IngressClasses, Services
// and EndpointSlices keep the routing table current, and each Ingress it serves gets the
// controller's address in its status, as an ingress controller in a cloud cluster would report
// its load balancer.
import {
  CoreV1Api,
  DiscoveryV1Api,
  makeInformer,
  NetworkingV1Api,
  type Informer,
  type ObjectCache,
  type KubeConfig,
  type KubernetesObject,
  type V1Ingress,
} from '@kubernetes/client-node';
import {
  buildRoutes,
  servesIngress,
  type ClassChoice,
  type EndpointSliceObject,
  type IngressObject,
  type Route,
  type ServiceObject,
} from './routes.ts';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  /** The IngressClass served; its controller field must be `controllerName`. */
  className: string;
  controllerName: string;
  /** Reported in each served Ingress's status.loadBalancer. */
  statusAddress: string;
  log: (entry: Record<string, unknown>) => void;
}

interface ClassObject {
  metadata: { name?: string; annotations?: Record<string, string> };
  spec?: { controller?: string };
}

const RESTART_DELAY_MS = 2000;

type Cached<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

export class IngressController {
  readonly #options: ControllerOptions;
  readonly #net: NetworkingV1Api;
  readonly #informers: Cached<KubernetesObject>[] = [];
  #routes: Route[] = [];
  #synced = false;
  #stopped = false;
  readonly #ingresses: Cached<V1Ingress>;
  readonly #classes: Cached<KubernetesObject>;
  readonly #services: Cached<KubernetesObject>;
  readonly #slices: Cached<KubernetesObject>;

  constructor(options: ControllerOptions) {
    this.#options = options;
    const kc = options.kubeConfig;
    this.#net = kc.makeApiClient(NetworkingV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    this.#ingresses = makeInformer(kc, '/apis/networking.k8s.io/v1/ingresses', () =>
      this.#net.listIngressForAllNamespaces(),
    );
    this.#classes = makeInformer(kc, '/apis/networking.k8s.io/v1/ingressclasses', () =>
      this.#net.listIngressClass(),
    );
    this.#services = makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
    this.#slices = makeInformer(kc, '/apis/discovery.k8s.io/v1/endpointslices', () =>
      discovery.listEndpointSliceForAllNamespaces(),
    );
    this.#informers.push(this.#ingresses, this.#classes, this.#services, this.#slices);
  }

  get routes(): readonly Route[] {
    return this.#routes;
  }

  get synced(): boolean {
    return this.#synced;
  }

  async start(): Promise<void> {
    for (const informer of this.#informers) {
      for (const event of ['add', 'update', 'delete'] as const) {
        informer.on(event, () => this.#rebuild());
      }
      informer.on('error', (error: unknown) => {
        if (this.#stopped) return;
        this.#options.log({ msg: 'watch failed, restarting', error: String(error) });
        setTimeout(() => void informer.start().catch(() => undefined), RESTART_DELAY_MS).unref();
      });
    }
    await Promise.all(this.#informers.map((i) => i.start()));
    this.#synced = true;
    this.#rebuild();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#informers.map((i) => i.stop()));
  }

  #choice(): ClassChoice {
    const ours = (this.#classes.list() as ClassObject[]).find(
      (c) => c.metadata.name === this.#options.className,
    );
    return {
      className: this.#options.className,
      isDefault:
        ours?.spec?.controller === this.#options.controllerName &&
        ours.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
    };
  }

  #rebuild(): void {
    if (!this.#synced) return;
    const choice = this.#choice();
    const ingresses = this.#ingresses.list();
    this.#routes = buildRoutes(
      ingresses as IngressObject[],
      this.#services.list() as ServiceObject[],
      this.#slices.list() as EndpointSliceObject[],
      choice,
    );
    for (const ingress of ingresses) {
      if (servesIngress(ingress as IngressObject, choice)) void this.#reportAddress(ingress);
    }
  }

  async #reportAddress(ingress: V1Ingress): Promise<void> {
    const address = this.#options.statusAddress;
    if (ingress.status?.loadBalancer?.ingress?.some((i) => i.ip === address)) return;
    const { name = '', namespace = '' } = ingress.metadata ?? {};
    try {
      await this.#net.replaceNamespacedIngressStatus({
        name,
        namespace,
        body: { ...ingress, status: { loadBalancer: { ingress: [{ ip: address }] } } },
      });
    } catch (error) {
      // A conflict means a newer version is on its way through the watch: it is retried then.
      this.#options.log({
        msg: 'status update failed',
        ingress: `${namespace}/${name}`,
        error: String(error),
      });
    }
  }
}
