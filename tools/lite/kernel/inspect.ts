// The text/plain of a value, close to Node's util.inspect as tslab shows it (the value of a
// cell's last expression, console.log of non-strings): strings quoted at depth > 0, arrays and
// objects on one line while short, typed arrays named, class instances prefixed with their class.
const MAX_ITEMS = 100;

export function inspect(value: unknown, depth = 0, seen: Set<unknown> = new Set()): string {
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || value === null || typeof value === "boolean" || typeof value === "symbol") return String(value);
  if (typeof value === "function") return value.name ? `[Function: ${value.name}]` : "[Function (anonymous)]";
  if (seen.has(value)) return "[Circular *1]";
  if (depth > 2) return Array.isArray(value) ? "[Array]" : "[Object]";
  seen.add(value);
  try {
    return inspectObject(value as object, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function inspectObject(value: object, depth: number, seen: Set<unknown>): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Promise) return "Promise { <pending> }";
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = Array.from(value as unknown as ArrayLike<number>);
    return `${value.constructor.name}(${arr.length}) ${list(arr.map((v) => inspect(v, depth + 1, seen)), arr.length)}`;
  }
  if (Array.isArray(value)) return list(value.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen)), value.length);
  if (value instanceof Map) {
    const items = [...value].map(([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`);
    return `Map(${value.size}) ${braces(items)}`;
  }
  const items = Object.keys(value).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect((value as Record<string, unknown>)[k], depth + 1, seen)}`);
  const name = value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : "";
  return `${name}${braces(items)}`;
}

function list(items: string[], total: number): string {
  if (total > items.length) items.push(`... ${total - items.length} more items`);
  if (!items.length) return "[]";
  const one = `[ ${items.join(", ")} ]`;
  return one.length <= 72 ? one : `[\n  ${items.join(",\n  ")}\n]`;
}

function braces(items: string[]): string {
  if (!items.length) return "{}";
  const one = `{ ${items.join(", ")} }`;
  return one.length <= 72 ? one : `{\n  ${items.join(",\n  ")}\n}`;
}

/** console.log's formatting of its arguments: strings as they are, the rest inspected. */
export function formatArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
}
