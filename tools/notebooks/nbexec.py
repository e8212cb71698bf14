"""Executes one notebook with nbclient, cell by cell, and reports what happened.

Called by tools/notebooks/execute.ts (not meant to be run by hand). Works with the
nbclient that Debian ships (0.7) and with a pip-installed JupyterLab's.
Usage: nbexec.py INPUT OUTPUT STATUS_JSON --cwd DIR --kernel NAME
                 --cell-timeout S --total-timeout S [--allow-errors]
Writes the executed notebook to OUTPUT (also when it stops early) and a JSON
status to STATUS_JSON: errors (cell index, id, ename, evalue), timeout, dead kernel.

--result-to-stdout (the grader's sandbox, tools/grader/sandbox.ts): OUTPUT and STATUS_JSON
are ignored; the runner keeps its stdout to itself (the kernel inherits /dev/null), makes
itself non-dumpable (student code cannot open /proc/<pid>/fd of it), kills every other
process of the sandbox once the kernel is done (detached children included) and only then
prints {"status": ..., "notebook": ...} on that private stdout.
"""
import argparse
import json
import os
import signal
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def describe_error(cell, err):
    """The error's name and message, from an error output or from tslab's stderr text."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", "Error"), out.get("evalue", "")[:2000]
    text = "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream" and out.get("name") == "stderr")
    lines = [l for l in text.splitlines() if l.strip()]
    for l in lines:  # a runtime error: "Error: message" after the code excerpt
        head = l.split(":", 1)[0]
        if head.endswith("Error") or head.endswith("Exception"):
            return head, l.split(":", 1)[1].strip()[:2000]
    if lines and " - " in lines[0]:  # a TypeScript compile error: "1:7 - Type ..."
        return "TypeScriptError", "\n".join(lines)[:2000]
    return getattr(err, "ename", "Error") or "Error", ("\n".join(lines[-5:]) or str(err))[:2000]


def keep_stdout_private():
    """A non-inheritable copy of stdout for the result; fds 0-2 become /dev/null for the kernel."""
    private = os.dup(1)  # PEP 446: not inherited by the kernel
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    try:
        import ctypes
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass
    return private


def kill_everything_else():
    """Inside the sandbox's PID namespace: SIGKILL to every process but this one and init."""
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass


def run_once(a, started):
    """One kernel, every code cell in order; returns the executed notebook and its status."""
    nb = nbformat.read(a.input, as_version=4)
    status = {"errors": [], "timedOut": None, "kernelDied": None, "cellsRun": 0,
              "cellSeconds": [], "startupError": None}
    client = NotebookClient(nb, timeout=int(a.cell_timeout), kernel_name=a.kernel,
                            allow_errors=False, resources={"metadata": {"path": a.cwd}})
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                remaining = a.total_timeout - (time.monotonic() - started)
                if remaining <= 0:
                    status["timedOut"] = {"cellIndex": index, "kind": "total", "seconds": a.total_timeout}
                    break
                client.timeout = int(max(1, min(a.cell_timeout, remaining)))
                t = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    kind = "cell" if client.timeout >= a.cell_timeout else "total"
                    status["timedOut"] = {"cellIndex": index, "kind": kind,
                                          "seconds": a.cell_timeout if kind == "cell" else a.total_timeout}
                    break
                except DeadKernelError as e:
                    status["kernelDied"] = {"cellIndex": index, "message": str(e)[:500]}
                    break
                except CellExecutionError as e:
                    # tslab replies "error" and prints the message on stderr (no error output).
                    ename, evalue = describe_error(cell, e)
                    status["errors"].append({"cellIndex": index, "cellId": cell.get("id"),
                                             "ename": ename, "evalue": evalue})
                    if not a.allow_errors:
                        break
                    # tslab aborts requests that arrive within 200 ms of an error.
                    time.sleep(0.4)
                status["cellsRun"] += 1
                status["cellSeconds"].append([index, round(time.monotonic() - t, 3)])
    except DeadKernelError as e:
        status["kernelDied"] = status["kernelDied"] or {"cellIndex": None, "message": str(e)[:500]}
    except Exception as e:  # kernel could not start, connection lost, ...
        status["startupError"] = f"{type(e).__name__}: {e}"[:2000]
    return nb, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("status")
    ap.add_argument("--cwd", required=True)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--cell-timeout", type=float, default=600)
    ap.add_argument("--total-timeout", type=float, default=3600)
    ap.add_argument("--allow-errors", action="store_true")
    ap.add_argument("--result-to-stdout", action="store_true")
    a = ap.parse_args()
    private_out = keep_stdout_private() if a.result_to_stdout else None

    started = time.monotonic()
    nb, status = run_once(a, started)
    # A kernel that did not answer at start (seen once in ~40 CI notebook runs: nbclient's 60 s
    # startup wait, under load) gets one fresh start; a notebook that ran cells is never rerun.
    if status["startupError"] and status["cellsRun"] == 0 and "didn't respond" in status["startupError"]:
        first = status["startupError"]
        nb, status = run_once(a, started)
        status["startupRetried"] = first
    status["seconds"] = round(time.monotonic() - started, 3)
    if private_out is not None:
        kill_everything_else()
        with os.fdopen(private_out, "w", encoding="utf-8") as out:
            json.dump({"status": status, "notebook": nbformat.writes(nb)}, out)
        return
    nbformat.write(nb, a.output)
    with open(a.status, "w") as f:
        json.dump(status, f)


if __name__ == "__main__":
    main()
