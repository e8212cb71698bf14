// The end of a sandboxed run is the end of everything in it, not of the process we spawned.
// bubblewrap's monitor (the process we spawn) exits as soon as the sandboxed command does: its
// PID 1 reports the command's exit code through an event fd and only then, killed with the
// monitor (--die-with-parent), takes down what the command left running. Until that is over,
// a student's detached children and fork loop are still alive on the host. So a sandboxed launch
// asks bwrap for its PID 1 (--info-fd), and a run ends once that process is gone: the kernel
// removes the rest of a PID namespace before its first process exits.
import { ChildProcess, IOType } from "child_process";
import * as fs from "fs";

/** The file descriptor on which bwrap writes `{"child-pid": N}` (given with --info-fd). */
export const SANDBOX_INFO_FD = 5;

/** `stdio` with a pipe at SANDBOX_INFO_FD (when the launch asks for it), the fds in between ignored. */
export function withInfoPipe(stdio: IOType[], infoFd: number | undefined): IOType[] {
  if (infoFd === undefined) return stdio;
  const padded: IOType[] = [...stdio];
  while (padded.length < infoFd) padded.push("ignore");
  padded[infoFd] = "pipe";
  return padded;
}

/** A process as /proc shows it now: its state letter and start time, or null when it is gone. */
function procState(pid: number): { state: string; started: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], started: fields[19] };
  } catch {
    return null;
  }
}

/** The sandbox's PID 1 (its host pid and start time), read from the info pipe; null if bwrap never wrote it. */
export function sandboxInit(child: ChildProcess, infoFd: number | undefined): Promise<{ pid: number; started: string } | null> {
  const stream = infoFd === undefined ? null : (child.stdio[infoFd] as NodeJS.ReadableStream | null | undefined);
  if (!stream) return Promise.resolve(null);
  return new Promise((resolve) => {
    let text = "";
    const ended = (): void => {
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      const pid = match ? Number(match[1]) : null;
      const state = pid === null ? null : procState(pid);
      // Gone already (nothing to wait for) or never started.
      resolve(pid !== null && state ? { pid, started: state.started } : null);
    };
    stream.on("data", (d: Buffer) => { text += d.toString("utf8"); });
    // "close" without "end" when the spawn itself failed (no bwrap): nothing to wait for.
    stream.on("end", ended);
    stream.on("close", ended);
    stream.on("error", () => resolve(null));
  });
}

/** True once the process is gone: no longer in /proc, a zombie (its namespace is empty by then), or another process with its pid. */
function isGone(init: { pid: number; started: string }): boolean {
  const now = procState(init.pid);
  return now === null || now.state === "Z" || now.state === "X" || now.started !== init.started;
}

/**
 * Waits until the sandbox's PID 1 is gone, and with it every process of the sandbox. After
 * `killAfterMs` it is killed (SIGKILL), which the kernel turns into a kill of the whole namespace.
 */
export async function untilSandboxGone(init: { pid: number; started: string } | null, killAfterMs = 5000): Promise<void> {
  if (!init) return;
  const deadline = Date.now() + killAfterMs;
  let killed = false;
  while (!isGone(init)) {
    if (!killed && Date.now() > deadline) {
      killed = true;
      try {
        process.kill(init.pid, "SIGKILL");
      } catch {
        // gone between the check and the kill
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
