#!/usr/bin/env python3
"""Round-trip test of the PyTorch bridge: Tapegrad -> PyTorch -> Tapegrad, for GRU, LSTM and RNN
models of one and two layers.

For each case, on a small generated text (a few KB with capitals, accents, an emoji beyond the
BMP and some \\r\\n line ends):
  1. `rnn.jar train` trains a tiny model for 3 steps;
  2. tapegrad_torch.py eval must give `rnn.jar eval`'s figure within 1e-5 relative;
  3. tapegrad_torch.py train continues for 3 steps on CPU in one process (4 rows), and again under
     `torch.distributed.run` as 2 DistributedDataParallel processes on the gloo backend (2 rows
     each, saving once on the way); `rnn.jar eval` of each written model.safetensors must equal
     the figure PyTorch measured on its trained model within 1e-5 relative, the two must agree
     with each other (a step of 2 processes x 2 rows is a step of 4 rows), the files must say
     step 6, and the weights must have moved.
One more case checks that the optimizer state carries over: from a run saved at an epoch's end,
2 PyTorch steps with the run's Adam moments must give what `rnn.jar train --resume` gives.
tapegrad_torch.py's command line runs in this process (its main), except under
torch.distributed.run; rnn.jar runs as users run it.

Prints one line per case and exits non-zero if any case fails. Needs torch, Java and a built
rnn.jar (`mvn -q -B package -DskipTests`). Usage, from the repository root, with Debian's Python:
    /usr/bin/python3 tools/pytorch/roundtrip_test.py [--jar rnn/target/rnn.jar] [--keep DIR]
"""

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import torch

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapegrad_torch  # noqa: E402

TOLERANCE = 1e-5
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "pytorch", "tapegrad_torch.py")
# A tiny model and a short run: the point is agreement, not learning.
# --dropout 0: the data preset's dropout between layers would draw other masks in PyTorch than in Tapegrad.
TRAIN = ["--hidden", "12", "--seq", "24", "--batch", "4", "--steps", "3", "--lr", "0.01", "--warmup", "0",
         "--schedule", "constant", "--val-fraction", "0.1", "--threads", "1", "--dropout", "0"]


class CaseFailure(Exception):
    pass


def write_text(path):
    """About 4 KB of deterministic text with the characters that could trip a port: capitals (and
    lower-casing), accents, an emoji (two UTF-16 units, one code point) and \\r\\n line ends."""
    rng = random.Random(17)
    words = ("the quick brown fox jumps over a lazy dog while Tapegrad trains a small model "
             "café naïve Über résumé PyTorch GRU LSTM").split()
    lines = []
    for i in range(110):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 9)))
        if i % 9 == 0:
            line = line.capitalize() + " \U0001F600"
        lines.append(line + ("\r\n" if i % 4 == 0 else "\n"))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines))


def run(cmd, what):
    """Runs a command; returns its stdout, or raises CaseFailure with its output."""
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise CaseFailure(f"{what} exited with {done.returncode}:\n    " + "\n    ".join(tail))
    return done.stdout


def json_line(output, what):
    """The last JSON object printed (torch.distributed.run may prefix worker lines with [default0]:)."""
    for line in reversed(output.splitlines()):
        if "{" in line:
            return json.loads(line[line.index("{"):])
    raise CaseFailure(f"{what} printed no JSON:\n{output}")


def tool(*argv):
    """Runs tapegrad_torch's command line in this process; returns its JSON output."""
    out = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = tapegrad_torch.main(list(argv))
    if status != 0:
        raise CaseFailure(f"tapegrad_torch {argv[0]} exited with {status}: {err.getvalue().strip()}")
    return json_line(out.getvalue(), f"tapegrad_torch {argv[0]}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def distributed_run():
    """python -m torch.distributed.run for 2 processes on this machine. PyTorch before 2.0 on Python
    3.11+ cannot parse its own default --redirects/--tee ('0'); passing '1' avoids that bug."""
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", "2",
           "--master_port", str(free_port())]
    from torch.distributed.elastic.multiprocessing.api import Std
    if Std.from_str("0") is None:
        cmd += ["--redirects", "1", "--tee", "1"]
    return cmd


def relative(a, b):
    return abs(a - b) / abs(b)


def agree(label, torch_value, tapegrad_value, names=("PyTorch", "Tapegrad")):
    """Returns the relative difference of two figures, or raises CaseFailure if it exceeds TOLERANCE."""
    r = relative(torch_value, tapegrad_value)
    if not r <= TOLERANCE:
        raise CaseFailure(f"{label}: {names[0]} {torch_value!r} vs {names[1]} {tapegrad_value!r}, relative "
                          f"difference {r:.2e} > {TOLERANCE:.0e}")
    return r


class Bridge:
    def __init__(self, jar, work):
        self.jar, self.work = jar, work
        self.text = os.path.join(work, "text.txt")
        write_text(self.text)

    def java(self, *argv):
        return run(["java", "-jar", self.jar, *argv], "rnn.jar " + argv[0])

    def tapegrad_eval(self, checkpoint):
        out = json_line(self.java("eval", "--checkpoint", checkpoint, "--data", self.text, "--json"), "rnn.jar eval")
        return out["chars"], out["nats_per_char"]

    def step_of(self, path):
        _, meta = tapegrad_torch.read_safetensors(os.path.join(path, "model.safetensors"))
        return int(meta["step"])

    def roundtrip(self, cell, layers):
        lowercase = layers == 2
        case = os.path.join(self.work, f"{cell}{layers}")
        run_dir, cpu_dir, ddp_dir = (os.path.join(case, d) for d in ("run", "cpu", "ddp"))
        self.java("train", "--data", self.text, "--cell", cell, "--layers", str(layers), "--out", run_dir, *TRAIN,
                  *(["--lowercase"] if lowercase else []))

        # Tapegrad -> PyTorch: the same figure.
        chars, tapegrad_start = self.tapegrad_eval(run_dir)
        start = tool("eval", "--checkpoint", run_dir, "--data", self.text, "--json", "--threads", "1")
        if start["chars"] != chars:
            raise CaseFailure(f"eval: PyTorch predicted {start['chars']} characters, Tapegrad {chars}")
        r_eval = agree("eval of Tapegrad's run", start["nats_per_char"], tapegrad_start)

        # PyTorch trains (one process, 4 rows), Tapegrad reads the result.
        cpu = tool("train", "--checkpoint", run_dir, "--out", cpu_dir, "--steps", "3", "--lr", "0.01",
                   "--eval-data", self.text, "--json", "--threads", "1", "--device", "cpu")
        r_cpu = agree("Tapegrad's eval of PyTorch's CPU model", cpu["eval_nats_per_char"],
                      self.tapegrad_eval(cpu_dir)[1])
        if cpu["eval_nats_per_char"] == start["nats_per_char"]:
            raise CaseFailure("PyTorch's training left the model's loss unchanged")

        # PyTorch trains with DDP: 2 processes x 2 rows on gloo.
        ddp = json_line(run(distributed_run() + [TOOL, "train", "--checkpoint", run_dir, "--out", ddp_dir,
                                                 "--steps", "3", "--lr", "0.01", "--batch", "2", "--device", "cpu",
                                                 "--save-every", "2", "--eval-data", self.text, "--json"],
                            "torch.distributed.run"),
                        "torch.distributed.run")
        if ddp["processes"] != 2:
            raise CaseFailure(f"the DDP run reports {ddp['processes']} processes, expected 2")
        r_ddp = agree("Tapegrad's eval of PyTorch's DDP model", ddp["eval_nats_per_char"],
                      self.tapegrad_eval(ddp_dir)[1])
        r_rows = agree("DDP 2x2 rows against one process of 4 rows", ddp["eval_nats_per_char"],
                       cpu["eval_nats_per_char"], ("DDP", "one process"))
        for d in (cpu_dir, ddp_dir):
            if self.step_of(d) != 6:
                raise CaseFailure(f"{d}: metadata step {self.step_of(d)}, expected 3 (Tapegrad) + 3 (PyTorch)")
        return (f"start {tapegrad_start:.4f} (rel {r_eval:.1e}) | cpu {cpu['eval_nats_per_char']:.4f} "
                f"(rel {r_cpu:.1e}) | ddp {ddp['eval_nats_per_char']:.4f} (rel {r_ddp:.1e}; vs cpu {r_rows:.1e})")

    def optimizer_state(self):
        """2 PyTorch steps from the run's Adam moments equal `rnn.jar train --resume` for 2 steps."""
        run_dir = os.path.join(self.work, "adam", "run")
        torch_dir = os.path.join(self.work, "adam", "torch")
        # Pick a batch that splits the training text's predictions evenly, so that Tapegrad's rows and
        # PyTorch's are the same, and stop at an epoch's end, where both start the rows from zeros.
        length = len(tapegrad_torch.read_text(self.text, False))
        predictions = length - tapegrad_torch.held_out_split(length, 0.1) - 1
        batch = next((b for b in range(2, 64) if predictions % b == 0), None)
        if batch is None:
            raise CaseFailure(f"no batch below 64 divides the {predictions} predictions; change the test's text")
        seq = 24
        epoch = -(-(predictions // batch) // seq)
        settings = ["--hidden", "12", "--seq", str(seq), "--batch", str(batch), "--lr", "0.01", "--warmup", "0",
                    "--schedule", "constant", "--val-fraction", "0.1", "--threads", "1", "--dropout", "0"]
        self.java("train", "--data", self.text, "--cell", "lstm", "--layers", "2", "--out", run_dir,
                  "--steps", str(epoch), *settings)
        moved = tool("train", "--checkpoint", run_dir, "--out", torch_dir, "--steps", "2", "--eval-data", self.text,
                     "--json", "--threads", "1", "--device", "cpu")
        self.java("train", "--resume", run_dir, "--steps", str(epoch + 2), "--threads", "1")
        r = agree("PyTorch continuing with the run's Adam moments against rnn.jar train --resume",
                  moved["eval_nats_per_char"], self.tapegrad_eval(run_dir)[1])
        return f"lstm 2x12, batch {batch}, 2 steps after step {epoch}: rel {r:.1e}"


def main():
    p = argparse.ArgumentParser(description="Round trip Tapegrad -> PyTorch -> Tapegrad, every cell, 1 and 2 layers.")
    p.add_argument("--jar", default=os.path.join(ROOT, "rnn", "target", "rnn.jar"))
    p.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary directory)")
    p.add_argument("--only", metavar="TEXT", help="run only the cases whose name contains TEXT (e.g. 'lstm 2')")
    args = p.parse_args()
    if not os.path.isfile(args.jar):
        print(f"roundtrip_test: {args.jar} not found; build it with mvn -q -B package -DskipTests", file=sys.stderr)
        return 2
    if shutil.which("java") is None:
        print("roundtrip_test: no java on PATH", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    work = args.keep or tempfile.mkdtemp(prefix="tapegrad-roundtrip-")
    os.makedirs(work, exist_ok=True)
    bridge = Bridge(args.jar, work)
    print(f"PyTorch round trip (torch {torch.__version__}, {sys.executable}), tolerance {TOLERANCE:.0e} relative")
    cases = [(f"{cell} {layers} layer{'s' if layers > 1 else ''}{' lowercase' if layers > 1 else ''}",
              lambda cell=cell, layers=layers: bridge.roundtrip(cell, layers))
             for cell in ("gru", "lstm", "rnn") for layers in (1, 2)]
    cases.append(("adam state", bridge.optimizer_state))
    cases = [(name, case) for name, case in cases if args.only is None or args.only in name]
    failures, began = 0, time.perf_counter()
    for name, case in cases:
        t = time.perf_counter()
        try:
            summary = case()
            print(f"ok   {name:<24} {summary} | {time.perf_counter() - t:.1f} s", flush=True)
        except CaseFailure as e:
            failures += 1
            print(f"FAIL {name:<24} {e}", flush=True)
    print(f"{len(cases) - failures} of {len(cases)} cases passed in {time.perf_counter() - began:.0f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
