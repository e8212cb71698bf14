// What a Node module becomes in the browser bundle (tools/lite/bundle.ts lists the module's
// export names at build time): every function throws a clear error when lesson code reaches a
// part of the course that needs Node (files, worker threads); `isMainThread` is true, since the
// page is the main thread.
export function missingModule(name: string, keys: string[]): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = {};
  for (const key of keys) {
    out[key] = key === "isMainThread" ? true : function missing(): never {
      throw new Error(`${name}.${key} não existe no navegador: esta parte do curso precisa do Node (tslab).`);
    };
  }
  return out;
}
