// Node's `os` in the browser bundle: what the engine's thread plan and the machine summary read.
const cores = (): number => (typeof navigator !== "undefined" && navigator.hardwareConcurrency) || 1;

export const availableParallelism = cores;
export const cpus = (): { model: string; speed: number }[] => Array.from({ length: cores() }, () => ({ model: "navegador", speed: 0 }));
export const platform = (): string => "browser";
export const arch = (): string => "wasm";
export const totalmem = (): number => 0;
export const freemem = (): number => 0;
export const tmpdir = (): string => "/tmp";
export const homedir = (): string => "/";
export const hostname = (): string => "browser";
export const type = (): string => "Browser";
export const release = (): string => "";
export const EOL = "\n";
