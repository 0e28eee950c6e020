#!/usr/bin/env python3
"""Tapegrad <-> PyTorch: evaluate and continue training a Tapegrad char model in PyTorch.

What it does
  eval   loads a Tapegrad run directory (or a model file) into the same PyTorch model and
         measures what `rnn.jar eval` measures: the mean cross-entropy, in nats, of each next
         character of a text given all before it, the state carried through the whole text.
  train  continues training that model on the run's text, on CPU or GPU, alone or under
         `torchrun` with DistributedDataParallel, and writes a model.safetensors that
         `rnn.jar sample` and `rnn.jar eval` read.

How
  The model is Tapegrad's: Embedding(V, V) `encoder` -> GRU/LSTM/RNN(V, H, layers,
  batch_first=True) `rnn` -> Linear(H, V) `decoder`, whose state_dict names are exactly the
  tensor names of Tapegrad's safetensors file. The vocabulary is the file's `vocab` metadata
  (code points in id order); with `lowercase` = true the text is lower-cased first. The
  safetensors format is read and written here with the standard library (struct, json), so
  nothing beyond torch is needed.

  Training is stateful truncated back-propagation through time, as `rnn.jar train --stateful`:
  the training text (the run's --data without its held-out tail) is cut into WORLD x BATCH
  contiguous stretches; process r owns stretches r*BATCH ... r*BATCH + BATCH - 1, one per batch
  row, and every step advances each row by the next --seq characters of its stretch, starting
  from the state the row reached in the previous step (detached: the gradient stops at the chunk
  boundary). DistributedDataParallel averages the gradients, so a step of W processes of B rows
  is one step of W*B rows. Adam (AdamW when the run used weight decay) continues from the run's
  saved moments when the run's training state belongs to the model; the global gradient norm is
  clipped as in Tapegrad.

  The file written carries the metadata Tapegrad's loader checks (format, cell, hidden, layers,
  lowercase, vocab) and `step` = the model's Tapegrad step plus the optimizer steps taken here
  (one per synchronised step, whatever the number of processes). It is written to a temporary
  file and renamed, so a reader never sees half a file. No training state is written: Tapegrad
  can sample and evaluate the result, not `--resume` it.

Usage (docs/PYTORCH.md has more)
  python3 tools/pytorch/tapegrad_torch.py eval --checkpoint runs/x --data input.txt [--json]
  python3 tools/pytorch/tapegrad_torch.py train --checkpoint runs/x --out runs/x-torch --steps 2000
  torchrun --standalone --nproc_per_node 2 tools/pytorch/tapegrad_torch.py train \
      --checkpoint runs/x --out runs/x-torch --steps 2000

Bad input (a directory that is not a run, a corrupt model file, a character the model does not
know, ...) prints one line and exits with 1; a wrong command line exits with 2.
"""

import argparse
import json
import math
import os
import struct
import sys
import tempfile
import time
import unicodedata

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

PROG = "tapegrad_torch"
MODEL_FILE = "model.safetensors"
STATE_FILE = "training-state.safetensors"
PREVIOUS_STATE_FILE = "training-state.previous.safetensors"
FORMAT = "tapegrad-charrnn/1"
STATE_FORMAT = "tapegrad-trainstate/1"
CELLS = {"gru": nn.GRU, "lstm": nn.LSTM, "rnn": nn.RNN}
MAX_HEADER_BYTES = 100_000_000
EVAL_CHUNK = 256
# Where `rnn.jar train --preset data` starts, for a model file that has no training state beside it.
# Its dropout acts between layers only: CharRNN leaves it out of a model of one layer, as the preset does.
DATA_PRESET = {"seq": 100, "batch": 32, "lr": 0.004, "clip": 5.0, "weight_decay": 0.0, "dropout": 0.25,
               "val_fraction": 0.1, "seed": 42}


class BridgeError(Exception):
    """A problem with the user's input, reported as one line and exit status 1."""


# ----------------------------------------------------------------------------------------------
# safetensors, with the standard library
# ----------------------------------------------------------------------------------------------

def read_safetensors(path):
    """Returns ({name: float32 tensor}, {metadata key: value}) of a safetensors file, checked as the
    reference loader checks it (header size, JSON object, dtype, byte ranges that tile the data)."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise BridgeError(f"cannot read {path}: {e.strerror}") from e
    if len(raw) < 8:
        raise BridgeError(f"{name}: {len(raw)} bytes is too short for a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > MAX_HEADER_BYTES or n > len(raw) - 8:
        raise BridgeError(f"{name}: header length {n} does not fit the file of {len(raw)} bytes "
                          "(not a safetensors file?)")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BridgeError(f"{name}: the header is not JSON ({e})") from e
    if not isinstance(header, dict):
        raise BridgeError(f"{name}: the header is not a JSON object")
    meta = header.pop("__metadata__", {}) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise BridgeError(f"{name}: __metadata__ must map strings to strings")
    data = bytearray(raw[8 + n:])
    if sys.byteorder != "little":
        raise BridgeError("this tool reads safetensors' little-endian floats on little-endian machines only")
    ranges = []
    for key, entry in header.items():
        if not isinstance(entry, dict) or entry.get("dtype") != "F32":
            raise BridgeError(f"{name}: tensor '{key}' is not F32 (Tapegrad's models are F32)")
        shape, offsets = entry.get("shape"), entry.get("data_offsets")
        if (not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape)
                or not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) for o in offsets)):
            raise BridgeError(f"{name}: tensor '{key}' has a malformed shape or data_offsets")
        if offsets[1] - offsets[0] != 4 * math.prod(shape):
            raise BridgeError(f"{name}: tensor '{key}' of shape {shape} does not fill its byte range {offsets}")
        ranges.append((offsets[0], offsets[1], key))
    end = 0
    for begin, stop, key in sorted(ranges):
        if begin != end:
            raise BridgeError(f"{name}: tensor '{key}' starts at byte {begin}, expected {end} "
                              "(overlapping ranges or a hole)")
        end = stop
    if end != len(data):
        raise BridgeError(f"{name}: the tensors cover {end} bytes of data but the file holds {len(data)}")
    tensors = {key: torch.frombuffer(data, dtype=torch.float32, count=(stop - begin) // 4, offset=begin)
               .reshape(header[key]["shape"]).clone() if stop > begin
               else torch.zeros(header[key]["shape"]) for begin, stop, key in ranges}
    return tensors, meta


def write_safetensors(path, tensors, meta):
    """Writes tensors (in the given order) and metadata as safetensors: to a temporary file in the
    same directory, synced, then renamed over `path`, so a reader sees the old file or the new one."""
    header, offset = {"__metadata__": meta}, 0
    flat = []
    for key, t in tensors.items():
        t = t.detach().to("cpu", torch.float32).contiguous().reshape(-1)
        header[key] = {"dtype": "F32", "shape": list(tensors[key].shape),
                       "data_offsets": [offset, offset + 4 * t.numel()]}
        flat.append((offset, t))
        offset += 4 * t.numel()
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    data = bytearray(offset)
    if offset:
        view = torch.frombuffer(data, dtype=torch.float32)
        for begin, t in flat:
            view[begin // 4:begin // 4 + t.numel()] = t
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it an ordinary file's mode
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(head)) + head)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# ----------------------------------------------------------------------------------------------
# The model and its checkpoint
# ----------------------------------------------------------------------------------------------

class CharRNN(nn.Module):
    """Tapegrad's char model: Embedding(V, V) -> GRU/LSTM/RNN(V, H, layers) -> Linear(H, V)."""

    def __init__(self, cell, vocab_size, hidden, layers, dropout=0.0):
        super().__init__()
        self.encoder = nn.Embedding(vocab_size, vocab_size)
        self.rnn = CELLS[cell](vocab_size, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.decoder = nn.Linear(hidden, vocab_size)

    def forward(self, ids, state=None):
        """ids: N x L token ids; state: None (zeros) or the state a previous call returned.
        Returns the N x L x V logits and the final state."""
        out, state = self.rnn(self.encoder(ids), state)
        return self.decoder(out), state


class Checkpoint:
    """A Tapegrad model file, checked as Tapegrad's loader checks it.

    Fields: file, run_dir (the directory beside it), cell, hidden, layers, lowercase, vocab (code
    points in id order), step, state (the state_dict)."""

    def __init__(self, dir_or_file):
        if os.path.isdir(dir_or_file):
            file = os.path.join(dir_or_file, MODEL_FILE)
            if not os.path.isfile(file):
                raise BridgeError(f"no {MODEL_FILE} in {dir_or_file} (is it a Tapegrad run directory?)")
        elif os.path.exists(dir_or_file):
            file = dir_or_file
        else:
            raise BridgeError(f"checkpoint {dir_or_file} does not exist")
        self.file, self.run_dir = file, os.path.dirname(os.path.abspath(file))
        tensors, meta = read_safetensors(file)
        where = os.path.basename(file)
        if meta.get("format") != FORMAT:
            raise BridgeError(f"{where}: metadata 'format' is {meta.get('format')!r}, expected '{FORMAT}' "
                              "(not a Tapegrad char-model checkpoint)")
        self.cell = meta.get("cell")
        if self.cell not in CELLS:
            raise BridgeError(f"{where}: metadata 'cell' is {self.cell!r}, expected 'gru', 'lstm' or 'rnn'")
        self.hidden = _whole(meta, "hidden", where, 1, 1 << 20)
        self.layers = _whole(meta, "layers", where, 1, 1 << 20)
        if meta.get("lowercase") not in ("true", "false"):
            raise BridgeError(f"{where}: metadata 'lowercase' must be 'true' or 'false', got {meta.get('lowercase')!r}")
        self.lowercase = meta["lowercase"] == "true"
        self.vocab = _vocabulary(meta.get("vocab"), where)
        self.step = _whole(meta, "step", where, 0, 2 ** 63 - 1) if "step" in meta else 0
        model = CharRNN(self.cell, len(self.vocab), self.hidden, self.layers)
        expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
        for key, shape in expected.items():
            if key not in tensors:
                raise BridgeError(f"{where}: missing tensor '{key}'")
            if tuple(tensors[key].shape) != shape:
                raise BridgeError(f"{where}: tensor '{key}' has shape {list(tensors[key].shape)} but vocab size "
                                  f"{len(self.vocab)}, hidden {self.hidden} need {list(shape)}")
            if not torch.isfinite(tensors[key]).all():
                raise BridgeError(f"{where}: tensor '{key}' contains NaN or infinite values")
        for key in tensors:
            if key not in expected:
                raise BridgeError(f"{where}: unexpected tensor '{key}' for a {self.layers}-layer {self.cell} model")
        self.state = {k: tensors[k] for k in expected}

    def model(self, dropout=0.0):
        """Returns a CharRNN holding this checkpoint's weights (load_state_dict with strict=True)."""
        model = CharRNN(self.cell, len(self.vocab), self.hidden, self.layers, dropout)
        model.load_state_dict(self.state, strict=True)
        return model

    def training_state(self):
        """Returns (settings, moments) from the run's training state beside the model: the run's
        settings (data, seq, batch, lr, ...) as saved by `rnn.jar train`, or {} if there is none; and
        {name: (exp_avg, exp_avg_sq, step)} if that state belongs to this model (same step), else None."""
        settings, moments = {}, None
        if os.path.basename(self.file) != MODEL_FILE:
            # best-model.safetensors or a file elsewhere: the run's settings may apply, its moments not.
            candidates = [os.path.join(self.run_dir, STATE_FILE)]
        else:
            candidates = [os.path.join(self.run_dir, STATE_FILE), os.path.join(self.run_dir, PREVIOUS_STATE_FILE)]
        for path in candidates:
            if not os.path.isfile(path):
                continue
            tensors, meta = read_safetensors(path)
            if meta.get("format") != STATE_FORMAT:
                continue
            settings = settings or meta
            if os.path.basename(self.file) == MODEL_FILE and meta.get("step") == str(self.step):
                settings = meta
                try:
                    moments = {k: (tensors["adam.m." + k], tensors["adam.v." + k], self.step) for k in self.state}
                except KeyError:
                    moments = None
                if moments and any(m.shape != self.state[k].shape or v.shape != self.state[k].shape
                                   for k, (m, v, _) in moments.items()):
                    moments = None
                break
        return settings, moments

    def save(self, path, model, step):
        """Writes model's weights with this checkpoint's vocabulary and sizes, at `step`."""
        meta = {"format": FORMAT, "cell": self.cell, "hidden": str(self.hidden), "layers": str(self.layers),
                "lowercase": "true" if self.lowercase else "false",
                "vocab": json.dumps(self.vocab, separators=(",", ":")), "step": str(step)}
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            write_safetensors(path, model.state_dict(), meta)
        except OSError as e:
            raise BridgeError(f"cannot write {path}: {e.strerror or e}") from e


def _whole(meta, key, where, low, high):
    value = meta.get(key)
    if value is None:
        raise BridgeError(f"{where}: metadata '{key}' is missing")
    try:
        n = int(value.strip())
    except ValueError:
        raise BridgeError(f"{where}: metadata '{key}' is not a whole number: {value!r}") from None
    if not low <= n <= high:
        raise BridgeError(f"{where}: metadata '{key}' = {n} is out of range")
    return n


def _vocabulary(text, where):
    if text is None:
        raise BridgeError(f"{where}: metadata 'vocab' is missing")
    try:
        vocab = json.loads(text)
    except json.JSONDecodeError as e:
        raise BridgeError(f"{where}: metadata 'vocab' is not JSON: {e}") from e
    if not isinstance(vocab, list) or not vocab:
        raise BridgeError(f"{where}: metadata 'vocab' must be a non-empty JSON array of code points")
    for i, cp in enumerate(vocab):
        if not isinstance(cp, int) or isinstance(cp, bool) or not 0 <= cp <= 0x10FFFF:
            raise BridgeError(f"{where}: metadata 'vocab' entry {i} is not a Unicode code point")
        if i > 0 and cp <= vocab[i - 1]:
            raise BridgeError(f"{where}: metadata 'vocab': code points must be strictly ascending, "
                              f"but id {i} ({describe(cp)}) follows {describe(vocab[i - 1])}")
    return vocab


# ----------------------------------------------------------------------------------------------
# Text
# ----------------------------------------------------------------------------------------------

def read_text(path, lowercase):
    """Reads a UTF-8 text as `rnn.jar` does: strictly decoded, a leading byte order mark dropped,
    line ends kept as they are (\\r\\n stays two characters), lower-cased if the model's vocabulary is."""
    if os.path.isdir(path):
        raise BridgeError(f"{path} is a directory; expected a UTF-8 text file")
    if not os.path.exists(path):
        raise BridgeError(f"text file not found: {path}")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise BridgeError(f"cannot read {path}: {e.strerror}") from e
    nul = raw.find(b"\0")
    if nul >= 0:
        raise BridgeError(f"{path} looks like a binary file (NUL byte at offset {nul}); expected a UTF-8 text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BridgeError(f"{path} is not valid UTF-8: bad byte sequence at byte offset {e.start}; "
                          "expected a UTF-8 text file") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text:
        raise BridgeError(f"{path} is empty; expected a non-empty text file")
    # Java's toLowerCase(Locale.ROOT) and Python's str.lower() both apply Unicode's full case mapping.
    return text.lower() if lowercase else text


def encode(text, vocab):
    """Returns the vocabulary ids of the text's code points as an int32 tensor; every character must
    be in the vocabulary (the error lists the missing ones, as `rnn.jar` does)."""
    points = torch.frombuffer(bytearray(text.encode("utf-32-le")), dtype=torch.int32)
    table = torch.tensor(vocab, dtype=torch.int32)
    ids = torch.searchsorted(table, points, out_int32=True).clamp_(max=len(vocab) - 1)
    unknown = table[ids.long()] != points
    if unknown.any():
        missing = list(dict.fromkeys(points[unknown].tolist()))
        listed = ", ".join(describe(cp) for cp in missing[:20])
        more = f", and {len(missing) - 20} more" if len(missing) > 20 else ""
        what = "character is" if len(missing) == 1 else "characters are"
        raise BridgeError(f"{len(missing)} {what} not in the model's vocabulary: {listed}{more}")
    return ids


def describe(cp):
    """A code point on one line: a visible BMP character in quotes, anything else as U+XXXX."""
    invisible = {"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn", "Mn", "Me", "Mc"}
    if cp <= 0xFFFF and unicodedata.category(chr(cp)) not in invisible:
        return "'\\" + chr(cp) + "'" if chr(cp) in "'\\" else "'" + chr(cp) + "'"
    return f"U+{cp:04X}"


def held_out_split(length, fraction):
    """The number of characters at the end of a text that `train --val-fraction` holds out:
    Java's Math.round(fraction * length)."""
    held = math.floor(fraction * length + 0.5)
    if fraction > 0 and (held == 0 or held == length):
        raise BridgeError(f"a text of {length} characters is too short to split with held-out fraction "
                          f"{fraction}; both parts need at least one character")
    return held


# ----------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------

@torch.no_grad()
def evaluate(model, ids, device, chunk=EVAL_CHUNK):
    """Mean cross-entropy (nats) of characters 1 .. n-1 of `ids`, each given all before it: one
    stream from a zero state, the state carried from chunk to chunk, as `rnn.jar eval`.
    Returns (characters predicted, nats per character)."""
    if len(ids) < 2:
        raise BridgeError(f"evaluation needs at least 2 characters, got {len(ids)}")
    was_training = model.training
    model.eval()
    total, state = 0.0, None
    for start in range(0, len(ids) - 1, chunk):
        end = min(start + chunk, len(ids) - 1)
        x = ids[start:end].long().unsqueeze(0).to(device)
        y = ids[start + 1:end + 1].long().to(device)
        logits, state = model(x, state)
        # The model runs in float32; the log-softmax and the sum run in float64.
        total += F.cross_entropy(logits[0].double(), y, reduction="sum").item()
    model.train(was_training)
    return len(ids) - 1, total / (len(ids) - 1)


def pick_device(choice, local_rank=0):
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    if choice == "cuda":
        if not torch.cuda.is_available():
            raise BridgeError("--device cuda, but this PyTorch sees no CUDA GPU")
        torch.cuda.set_device(local_rank % torch.cuda.device_count())
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    return torch.device("cpu")


def command_eval(args):
    if args.held_out is not None and not 0 < args.held_out < 1:
        raise BridgeError(f"--held-out must be in (0, 1), got {args.held_out}")
    if args.threads:
        torch.set_num_threads(args.threads)
    checkpoint = Checkpoint(args.checkpoint)
    device = pick_device(args.device)
    ids = encode(read_text(args.data, checkpoint.lowercase), checkpoint.vocab)
    if args.held_out is not None:
        ids = ids[len(ids) - held_out_split(len(ids), args.held_out):]
    chars, nats = evaluate(checkpoint.model().to(device), ids, device)
    if args.json:
        print(json.dumps({"chars": chars, "nats_per_char": nats, "bits_per_char": nats / math.log(2)}))
    else:
        print(f"{nats:.4f} nats/char | {nats / math.log(2):.4f} bits/char | {chars:,} characters predicted")


# ----------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------

class StatefulRows:
    """The stateful split of a training text among WORLD x BATCH rows, one stretch per row.

    With P = len(ids) - 1 predictions and R = WORLD x BATCH rows, each row owns S = P // R of them
    (the last P mod R predictions of the text are left out; Tapegrad gives them to its first rows in
    one extra one-character step, which several processes cannot share evenly). An epoch is
    ceil(S / seq) steps, the last one shorter when seq does not divide S."""

    def __init__(self, ids, seq, batch, world, rank):
        rows = batch * world
        self.per_row = (len(ids) - 1) // rows
        if self.per_row < 1:
            processes = f"{world} process{'es' if world > 1 else ''}"
            raise BridgeError(f"the training text has {len(ids)} characters, too few for {rows} rows ({processes} x "
                              f"--batch {batch}); use a longer text or a smaller --batch")
        self.ids, self.seq = ids, seq
        self.starts = [(rank * batch + b) * self.per_row for b in range(batch)]
        self.steps_per_epoch = -(-self.per_row // seq)

    def batch(self, step_in_epoch):
        """Returns (inputs, targets), each BATCH x L, for an epoch's step."""
        offset = step_in_epoch * self.seq
        length = min(self.seq, self.per_row - offset)
        rows = torch.stack([self.ids[s + offset:s + offset + length + 1] for s in self.starts]).long()
        return rows[:, :-1], rows[:, 1:]


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def learning_rate_factor(schedule, warmup, step, total):
    """Tapegrad's schedule (LearningRateSchedule), over this session's steps: a linear warm-up,
    then constant or a half cosine down to a tenth."""
    warm = 1.0 if warmup == 0 else min(1.0, (step + 1) / warmup)
    if schedule == "cosine":
        progress = min(1.0, step / total)
        return warm * (0.1 + 0.9 * (1 + math.cos(math.pi * progress)) / 2)
    return warm


def out_file(out, force):
    """The model file to write for --out (a directory, or a path ending in .safetensors), refused
    early if it would replace a model (without --force) or sit beside a Tapegrad training state."""
    path = out if out.endswith(".safetensors") else os.path.join(out, MODEL_FILE)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isfile(os.path.join(folder, STATE_FILE)):
        raise BridgeError(f"{folder} holds a Tapegrad {STATE_FILE}, which would no longer match the model; "
                          "write PyTorch's model to another --out")
    if os.path.isdir(path):
        raise BridgeError(f"--out {out}: {path} is a directory")
    if os.path.exists(path) and not force:
        raise BridgeError(f"{path} already exists; pass --force to replace it")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise BridgeError(f"--out {out}: {folder} is not a directory")
    return path


def setting(args, settings, key, name, kind):
    """The command line's value, else the run's saved setting, else the `data` preset's."""
    given = getattr(args, name)
    if given is not None:
        return given
    if key in settings:
        try:
            return kind(settings[key])
        except ValueError:
            raise BridgeError(f"{STATE_FILE}: setting '{key}' = {settings[key]!r} is not a {kind.__name__}") from None
    return DATA_PRESET[key]


def command_train(args):
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(args.device, local_rank)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.steps is None and args.epochs is None:
        raise BridgeError("give a bound: --steps N and/or --epochs E")
    for flag, value in (("--steps", args.steps), ("--epochs", args.epochs), ("--seq", args.seq),
                        ("--batch", args.batch)):
        if value is not None and value < 1:
            raise BridgeError(f"{flag} must be at least 1, got {value}")

    checkpoint = Checkpoint(args.checkpoint)
    path = out_file(args.out, args.force)
    settings, moments = checkpoint.training_state()
    data = args.data or settings.get("data")
    if not data:
        raise BridgeError(f"no --data given and no {STATE_FILE} beside {checkpoint.file} saying which text the run "
                          "trained on; pass --data FILE")
    if data == "embedded":
        raise BridgeError("the run trained on rnn.jar's embedded corpus, which is not a file; pass --data FILE")
    seq = setting(args, settings, "seq", "seq", int)
    batch = setting(args, settings, "batch", "batch", int)
    lr = setting(args, settings, "lr", "lr", float)
    clip = setting(args, settings, "clip", "clip", float)
    weight_decay = setting(args, settings, "weight_decay", "weight_decay", float)
    dropout = setting(args, settings, "dropout", "dropout", float)
    val_fraction = setting(args, settings, "val_fraction", "val_fraction", float)
    seed = setting(args, settings, "seed", "seed", int)
    if not 0 <= val_fraction < 1:
        raise BridgeError(f"--val-fraction must be in [0, 1), got {val_fraction}")
    if args.fresh_optimizer:
        moments = None

    if world > 1:
        backend = args.backend or ("nccl" if device.type == "cuda" else "gloo")
        dist.init_process_group(backend)
    torch.manual_seed(seed + rank)  # dropout only; rows and weights are fixed by the run

    ids = encode(read_text(data, checkpoint.lowercase), checkpoint.vocab)
    train_ids = ids[:len(ids) - held_out_split(len(ids), val_fraction)]
    rows = StatefulRows(train_ids, seq, batch, world, rank)
    eval_ids = encode(read_text(args.eval_data, checkpoint.lowercase), checkpoint.vocab) if args.eval_data else None
    total = min(b for b in (args.steps, args.epochs and args.epochs * rows.steps_per_epoch) if b)

    model = checkpoint.model(dropout).to(device)
    params = dict(model.named_parameters())
    optimizer = torch.optim.AdamW(params.values(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    if moments:
        # torch.optim.Adam(W)'s state per parameter is exactly Tapegrad's: m, v and the step count
        # that bias-corrects them.
        for name, (m, v, step) in moments.items():
            optimizer.state[params[name]] = {"step": torch.tensor(float(step)), "exp_avg": m.to(device),
                                             "exp_avg_sq": v.to(device)}
    trained = model
    if world > 1:
        trained = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda"
                                                      else None)
    lead = rank == 0
    if lead and not args.json:
        print(f"{checkpoint.cell} {checkpoint.layers}x{checkpoint.hidden}, vocab {len(checkpoint.vocab)}, "
              f"from step {checkpoint.step} | {world} process{'es' if world > 1 else ''} x {batch} rows, seq {seq}, "
              f"{rows.steps_per_epoch} steps per epoch | {total} steps | lr {lr} {args.schedule} | "
              f"Adam moments {'from the run' if moments else 'fresh'} | {device}", flush=True)

    log_every = args.log_every or max(1, total // 10)
    state, started, chars, window = None, time.perf_counter(), 0, []
    for step in range(total):
        in_epoch = step % rows.steps_per_epoch
        if in_epoch == 0:
            state = None
        x, y = rows.batch(in_epoch)
        x, y = x.to(device), y.to(device)
        for group in optimizer.param_groups:
            group["lr"] = lr * learning_rate_factor(args.schedule, args.warmup, step, total)
        logits, state = trained(x, state)
        state = detach(state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), clip)
        if not (math.isfinite(loss.item()) and math.isfinite(norm.item())):
            raise BridgeError(f"training diverged at step {checkpoint.step + step + 1} (loss {loss.item()}, gradient "
                              f"norm {norm.item()}); nothing was written for it; try a smaller --clip and a lower "
                              "--lr")
        optimizer.step()
        chars += x.numel() * world
        window.append(loss.detach())
        done = step + 1
        if done % log_every == 0 or done == total:
            mean = torch.stack(window).mean()
            if world > 1:
                dist.all_reduce(mean)
                mean /= world
            window = []
            if lead and not args.json:
                rate = chars / max(time.perf_counter() - started, 1e-9)
                print(f"step {checkpoint.step + done} ({done}/{total}) | train loss {mean.item():.4f} | "
                      f"{rate:,.0f} chars/s", flush=True)
        if lead and args.save_every and done % args.save_every == 0 and done < total:
            checkpoint.save(path, model, checkpoint.step + done)

    final_step = checkpoint.step + total
    if lead:
        checkpoint.save(path, model, final_step)
        report = {"step": final_step, "pytorch_steps": total, "processes": world, "file": path}
        if eval_ids is not None:
            report["eval_chars"], report["eval_nats_per_char"] = evaluate(model, eval_ids, device)
        if args.json:
            print(json.dumps(report))
        else:
            extra = (f" | {args.eval_data}: {report['eval_nats_per_char']:.4f} nats/char" if args.eval_data else "")
            print(f"saved {path} at step {final_step}{extra}", flush=True)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


# ----------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------

def parser():
    p = argparse.ArgumentParser(prog=PROG, description="Evaluate and continue training a Tapegrad char model in "
                                "PyTorch; see docs/PYTORCH.md.")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("eval", help="mean cross-entropy of a text, as `rnn.jar eval`")
    e.add_argument("--checkpoint", required=True, metavar="DIR_OR_FILE", help="a run directory or a model file")
    e.add_argument("--data", required=True, metavar="FILE", help="the UTF-8 text to evaluate on")
    e.add_argument("--held-out", type=float, metavar="FRACTION",
                   help="evaluate only the last FRACTION of the text (what train --val-fraction held out)")
    e.add_argument("--json", action="store_true", help="print one JSON object: chars, nats_per_char, bits_per_char")
    e.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"], help="(default: cpu)")
    e.add_argument("--threads", type=int, help="CPU threads (default: PyTorch's)")

    t = sub.add_parser("train", help="continue training; run under torchrun for several processes",
                       description="Unset options take the run's saved settings (training-state.safetensors), "
                       "else those of rnn.jar train --preset data.")
    t.add_argument("--checkpoint", required=True, metavar="DIR_OR_FILE", help="a run directory or a model file")
    t.add_argument("--out", required=True, metavar="DIR_OR_FILE",
                   help="where to write model.safetensors (a new directory, or a path ending in .safetensors)")
    t.add_argument("--force", action="store_true", help="replace a model file already at --out")
    t.add_argument("--data", metavar="FILE", help="the training text (default: the run's --data)")
    t.add_argument("--steps", type=int, help="optimizer steps to take here")
    t.add_argument("--epochs", type=int, help="passes over the training text to make here")
    t.add_argument("--seq", type=int, help="characters per chunk")
    t.add_argument("--batch", type=int, help="rows per process (a step of W processes trains W x BATCH rows)")
    t.add_argument("--lr", type=float, help="Adam's base learning rate (default: the run's base rate)")
    t.add_argument("--schedule", default="constant", choices=["constant", "cosine"],
                   help="constant, or cosine down to a tenth over these steps (default: constant)")
    t.add_argument("--warmup", type=int, default=0, help="linear warm-up steps (default: 0)")
    t.add_argument("--weight-decay", type=float, help="decoupled (AdamW) weight decay")
    t.add_argument("--clip", type=float, help="largest global gradient norm")
    t.add_argument("--dropout", type=float, help="dropout between layers, in training")
    t.add_argument("--val-fraction", type=float, help="share at the end of the text left out of training")
    t.add_argument("--seed", type=int, help="seeds dropout (plus the process rank)")
    t.add_argument("--fresh-optimizer", action="store_true", help="start Adam from zero moments, not the run's")
    t.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                   help="(default: cuda if available; under torchrun each process takes GPU LOCAL_RANK)")
    t.add_argument("--backend", choices=["gloo", "nccl"], help="torch.distributed backend (default: nccl on GPU, "
                   "gloo on CPU)")
    t.add_argument("--threads", type=int, help="CPU threads per process (default: PyTorch's)")
    t.add_argument("--log-every", type=int, help="print the training loss every N steps (default: a tenth of the run)")
    t.add_argument("--save-every", type=int, help="also save the model every N steps (default: only at the end)")
    t.add_argument("--eval-data", metavar="FILE", help="at the end, evaluate the trained model on FILE as eval does")
    t.add_argument("--json", action="store_true", help="print only a final JSON object")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        {"eval": command_eval, "train": command_train}[args.command](args)
    except BridgeError as e:
        rank = os.environ.get("RANK")
        where = f" (rank {rank})" if rank not in (None, "0") else ""
        print(f"{PROG}{where}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing written since the last save", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Whoever read the output (`| head`) has gone: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 0


if __name__ == "__main__":
    sys.exit(main())
