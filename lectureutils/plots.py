"""Plots that render anywhere (GitHub, PDF, offline), with Korean labels (01, "Context-dependent vectors", "Attention";
08's training pictures)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["use_korean_font", "register_packaged_font", "save_figure", "similarity_heatmap", "projection_2d",
           "attention_grid", "smooth", "plot_losses", "plot_before_after"]

KOREAN_FONT_NAMES = ["NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "AppleGothic"]


def use_korean_font() -> str:
    """Make matplotlib draw Hangul with an installed Korean font, else koreanize-matplotlib's NanumGothic (no apt
    on Colab); returns the family (every notebook's Setup)."""
    import matplotlib
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    family = next((name for name in KOREAN_FONT_NAMES if name in installed), None)
    if family is None:
        family = register_packaged_font()
    matplotlib.rcParams["font.family"] = family
    matplotlib.rcParams["axes.unicode_minus"] = False  # Korean fonts lack the minus glyph
    return family


def register_packaged_font() -> str:
    """Register koreanize-matplotlib's NanumGothic with matplotlib; returns its family (setup, every notebook)."""
    from importlib.util import find_spec

    from matplotlib import font_manager

    spec = find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise ImportError("No Korean font found. Install one with: pip install koreanize-matplotlib")
    font_file = Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"
    font_manager.fontManager.addfont(str(font_file))
    return font_manager.FontProperties(fname=str(font_file)).get_name()


def save_figure(fig, path) -> Path:
    """Save ``fig`` as a PNG (folders created), so it can be opened outside the notebook (every notebook's figures)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def similarity_heatmap(matrix, labels, title: str = "", ax=None):
    """Heatmap of a square similarity matrix with the value in each cell. (01, §4)"""
    import matplotlib.pyplot as plt
    import numpy as np

    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] != len(labels):
        raise ValueError(f"Need a square matrix with one label per row; got {matrix.shape} and {len(labels)} labels.")
    if ax is None:
        size = 1.0 + 0.7 * len(labels)
        _, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(matrix, cmap="viridis", vmin=min(0.0, matrix.min()), vmax=1.0)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for row in range(len(labels)):
        for col in range(len(labels)):
            value = matrix[row, col]
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", color="white" if value < 0.6 else "black", fontsize=8)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title)
    return ax


def projection_2d(vectors, labels, groups, title: str = "", ax=None):
    """Scatter of vectors projected to 2-D with PCA, coloured by group, each point labelled. (01, §4)"""
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.decomposition import PCA

    vectors = np.asarray(vectors, dtype=float)
    if not len(vectors) == len(labels) == len(groups):
        raise ValueError("vectors, labels and groups must have the same length.")
    points = PCA(n_components=2, random_state=0).fit_transform(vectors)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    for group in dict.fromkeys(groups):
        chosen = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(points[chosen, 0], points[chosen, 1], s=60, label=group)
    for (x, y), label in zip(points, labels):
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.legend()
    ax.set_title(title)
    return ax


def attention_grid(attentions, tokens, layers=None, heads=None, title: str = ""):
    """Static attention heatmaps, one panel per (layer, head), each scaled to its largest weight, from the
    ``attentions`` of a model loaded with ``attn_implementation="eager"`` (first batch item) (01, §5)."""
    import matplotlib.pyplot as plt
    import numpy as np

    if attentions is None or len(attentions) == 0 or attentions[0] is None:
        raise ValueError(
            "No attention weights: load the model with attn_implementation='eager' and call it with output_attentions=True."
        )
    layers = list(range(len(attentions))) if layers is None else list(layers)
    heads = list(range(attentions[0].shape[1])) if heads is None else list(heads)
    fig, axes = plt.subplots(len(layers), len(heads), figsize=(2.2 * len(heads) + 1, 2.2 * len(layers) + 0.6), squeeze=False)
    for row, layer in enumerate(layers):
        for col, head in enumerate(heads):
            weights = np.asarray(attentions[layer][0, head].detach().float().cpu())
            ax = axes[row][col]
            ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=weights.max())  # per panel: weights are often small
            ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=6)
            ax.set_yticks(range(len(tokens)), tokens, fontsize=6)
            ax.set_title(f"layer {layer + 1}, head {head + 1}", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def smooth(values, window: int = 20) -> list[float]:
    """Running mean over the last ``window`` values (shorter at the start), for noisy loss curves. (08, §7)"""
    if window < 1:
        raise ValueError("window must be at least 1.")
    smoothed, total = [], 0.0
    values = [float(value) for value in values]
    for index, value in enumerate(values):
        total += value
        if index >= window:
            total -= values[index - window]
        smoothed.append(total / min(index + 1, window))
    return smoothed


def plot_losses(mlm_losses, nsp_losses, window: int = 20, title: str = ""):
    """The MLM and NSP loss per step, raw and smoothed; NSP's line at ln 2 is always saying 50 % (08, "Training")."""
    import math

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, losses, name in [(axes[0], mlm_losses, "MLM loss"), (axes[1], nsp_losses, "NSP loss")]:
        steps = range(1, len(losses) + 1)
        ax.plot(steps, [float(loss) for loss in losses], alpha=0.3, label="per step")
        ax.plot(steps, smooth(losses, window), label=f"mean of {window} steps")
        ax.set_xlabel("training step")
        ax.set_ylabel(name)
        ax.set_title(name)
    axes[1].axhline(math.log(2), color="grey", linestyle="--", label="ln 2 (always 50 %)")
    for ax in axes:
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_before_after(before: dict, after: dict, title: str = ""):
    """Held-out MLM and NSP accuracy before and after training (``evaluate_pretraining``'s results), with NSP's 50 %
    chance line (08, "After training")."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    for ax, key, name in [(axes[0], "mlm_accuracy", "masked-token accuracy"), (axes[1], "nsp_accuracy", "NSP accuracy")]:
        values = [before[key], after[key]]
        bars = ax.bar(["untrained", "trained"], values, color=["tab:grey", "tab:green"])
        for bar, value in zip(bars, values):
            ax.text(bar.get_x() + bar.get_width() / 2, value, f"{value:.1%}", ha="center", va="bottom")
        ax.set_ylim(0, 1 if key == "nsp_accuracy" else min(1.0, max(0.25, 1.3 * max(values))))
        ax.set_title(f"held-out {name}")
    axes[1].axhline(0.5, color="grey", linestyle="--", label="chance (50 %)")
    axes[1].legend(loc="upper left")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
