// The platform suites share one cluster and build on each other's end state: run them by file
// name (dev-instance, then gitops-sync), not by Jest's duration-based order.
import Sequencer from '@jest/test-sequencer';
import { basename } from 'node:path';

export default class ByFileName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => basename(a.path).localeCompare(basename(b.path)));
  }
}
