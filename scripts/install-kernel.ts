// npm run kernel [-- --user|--sys-prefix] — registers the tslab TypeScript kernel with the local
// Jupyter, pointing at this project's own node_modules/.bin/tslab (tools/notebooks/kernel.ts).
import { KernelScope, registerKernel } from "../tools/notebooks/kernel";

const argv = process.argv.slice(2);
const scope: KernelScope = argv.includes("--user") ? "user" : argv.includes("--sys-prefix") ? "sys-prefix" : "default";
process.exit(registerKernel(console.log, scope) ? 0 : 1);
