// The Pulumi program: Pulumi.yaml runs this file (Node strips the types; no ts-node), and the
// returned object becomes the stack outputs.
import { createEstate } from './estate.ts';
import { loadSettings } from './settings.ts';

export default () => createEstate(loadSettings());
