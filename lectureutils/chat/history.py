"""From GPT to ChatGPT: the timeline of the lecture's GPT section, with sources, and its figure.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§1 "From GPT to ChatGPT").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Milestone", "TIMELINE", "plot_timeline"]


@dataclass(frozen=True)
class Milestone:
    """One model of the history: when, how big, how it was released, what was new, and the source."""

    model: str
    date: str  # year-month of the publication or release
    parameters: float | None  # in billions; None where never disclosed
    access: str  # "open weights", "API only", "product"
    new: str
    source: str
    size_label: str = ""  # overrides the label made from ``parameters`` (a family of sizes)


TIMELINE = (
    Milestone("GPT-1", "2018-06", 0.117, "open weights",
              "generative pre-training of a Transformer decoder, then fine-tuning per task",
              "Radford et al., 'Improving Language Understanding by Generative Pre-Training', OpenAI, 2018"),
    Milestone("GPT-2", "2019-02", 1.5, "open weights",
              "10x larger; zero-shot tasks from the prompt alone; weights released in stages until 2019-11",
              "Radford et al., 'Language Models are Unsupervised Multitask Learners', OpenAI, 2019"),
    Milestone("GPT-3", "2020-05", 175.0, "API only",
              "about 100x GPT-2; few-shot learning in the prompt; exclusive licence to Microsoft (2020-09)",
              "Brown et al., 'Language Models are Few-Shot Learners', NeurIPS 2020"),
    Milestone("InstructGPT", "2022-03", 1.3, "API only",
              "instruction tuning + RLHF: a 1.3 B model preferred by people over the 175 B GPT-3",
              "Ouyang et al., 'Training language models to follow instructions with human feedback', NeurIPS 2022",
              "1.3 B - 175 B parameters"),
    Milestone("ChatGPT (GPT-3.5)", "2022-11", None, "product",
              "a GPT-3.5 model tuned for dialogue with RLHF (human-in-the-loop)",
              "OpenAI, 'Introducing ChatGPT', blog post, 2022-11-30"),
    Milestone("GPT-4", "2023-03", None, "API only",
              "image input, longer context (8k and 32k tokens); size not disclosed",
              "OpenAI, 'GPT-4 Technical Report', arXiv:2303.08774, 2023"),
)


def plot_timeline(milestones=TIMELINE, ax=None):
    """A timeline: one marker per model, its size where published, open vs API-only in colour (12, §1)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6))
    colours = {"open weights": "tab:green", "API only": "tab:orange", "product": "tab:red"}
    for index, milestone in enumerate(milestones):
        year, month = (int(part) for part in milestone.date.split("-"))
        when = year + (month - 1) / 12
        size = milestone.size_label or (
            "size not disclosed" if milestone.parameters is None else f"{milestone.parameters:g} B parameters")
        ax.scatter(when, 0, s=120, color=colours[milestone.access], zorder=3)
        offset = 0.6 if index % 2 == 0 else -0.6
        ax.annotate(f"{milestone.model}\n{milestone.date}\n{size}", (when, 0), (when, offset),
                    ha="center", va="center", fontsize=9, arrowprops={"arrowstyle": "-", "color": "grey"})
    ax.axhline(0, color="grey", linewidth=1, zorder=1)
    ax.set_ylim(-1.2, 1.2)
    ax.set_xlim(2017.8, 2023.8)
    ax.set_yticks([])
    for access, colour in colours.items():
        ax.scatter([], [], color=colour, label=access)
    ax.legend(loc="upper left", frameon=False, ncol=3)
    ax.set_title("From GPT to ChatGPT")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax
