"""``setup()``: the first call of every notebook.

Taught in notebooks/01_bert_embeddings.ipynb ("Setup"). It reads the modes, picks the
device, seeds every random generator, silences library messages that are not for
students, makes Korean text render in matplotlib, and prints one banner line.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass, field, replace

from . import modes
from .models import standins_in_use

DEFAULT_SEED = 7  # the lecture's seed


@dataclass(frozen=True)
class Session:
    """What ``setup()`` decided; notebooks read ``session.device``, ``session.fast`` and so on."""

    offline: bool
    fast: bool
    device: str
    seed: int
    standins: tuple[str, ...] = field(default_factory=tuple)
    banner: str = ""

    def pick(self, full, fast):
        """``fast`` in fast mode, else ``full``."""
        return fast if self.fast else full


def pick_device() -> str:
    """"cuda" on an NVIDIA GPU (Colab), "mps" on Apple silicon, else "cpu"."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def quiet_libraries() -> None:
    """Hide load reports, progress bars and warnings that say nothing to a student."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import huggingface_hub.utils
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    huggingface_hub.utils.disable_progress_bars()
    for noisy in ("sentence_transformers", "accelerate", "datasets", "matplotlib.font_manager", "kiwipiepy"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning, module="transformers")
    warnings.filterwarnings("ignore", message=".*TypedStorage is deprecated.*")


def setup(models=(), seed: int = DEFAULT_SEED, quiet: bool = True) -> Session:
    """Prepare a notebook session and print the banner.

    ``models`` lists the model names the notebook will load, so that the banner can say
    which of them are offline stand-ins.
    """
    import torch
    import transformers

    from .plots import use_korean_font

    reason = modes.offline_reason()
    if reason is not None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # libraries must not try the network either
    if quiet:
        quiet_libraries()
    transformers.set_seed(seed)
    use_korean_font()
    session = Session(
        offline=reason is not None,
        fast=modes.is_fast(),
        device=pick_device(),
        seed=seed,
        standins=tuple(standins_in_use(models)),
    )
    banner = make_banner(session, reason, torch.__version__, transformers.__version__)
    print(banner)
    return replace(session, banner=banner)


def make_banner(session: Session, offline_reason: str | None, torch_version: str, transformers_version: str) -> str:
    mode = f"offline ({offline_reason})" if session.offline else "online"
    if session.fast:
        mode += " + fast"
    standins = ", ".join(session.standins) if session.standins else "none"
    return (
        f"lectureutils | mode: {mode} | device: {session.device} | seed: {session.seed} | "
        f"torch {torch_version}, transformers {transformers_version} | stand-ins: {standins}"
    )
