"""Notebook 05_document_classification, "Deep dive A": the notebook's own ``LengthGroupedTrainer`` makes the same
batches as the package's ``make_trainer`` (which the command line and the later notebooks use), and evaluates in
the data set's order.

Moved out of the notebook's check cells (issue 26, item 1): comparing the lesson's copy with the package's is a
test of the package. The test reads the two class definitions from the notebook (never executing the notebook)
and builds both trainers on a small data set of uneven lengths.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import torch

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_document_classification.ipynb"
CLASSES = ("TightLengthGroupedSampler", "LengthGroupedTrainer")


def notebook_classes() -> dict:
    """The notebook's ``TightLengthGroupedSampler`` and ``LengthGroupedTrainer``, with the imports of their cell."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    [source] = [source for source in sources if "class LengthGroupedTrainer(Trainer)" in source]
    tree = ast.parse(source)
    kept = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
            or isinstance(node, ast.ClassDef) and node.name in CLASSES]
    assert {node.name for node in kept if isinstance(node, ast.ClassDef)} == set(CLASSES)
    from transformers import Trainer

    scope = {"Trainer": Trainer}  # imported in section 5
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(NOTEBOOK), "exec"), scope)
    return scope


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    from datasets import Dataset
    from transformers import BertConfig, BertForSequenceClassification

    from lectureutils.models import load_tokenizer
    from lectureutils.training import HyperParameters, training_arguments

    tokenizer = load_tokenizer("beomi/kcbert-base")
    generator = torch.Generator().manual_seed(0)
    words = ["영화", "정말", "재밌다", "별로", "지루하다", "배우", "연기", "좋다", "최악", "강추"]
    texts = [" ".join(words[int(i)] for i in torch.randint(0, len(words), (int(n),), generator=generator))
             for n in torch.randint(1, 40, (300,), generator=generator)]
    labels = [index % 2 for index in range(len(texts))]
    dataset = Dataset.from_dict({"text": texts, "label": labels}).map(
        lambda batch: tokenizer(batch["text"]), batched=True, remove_columns=["text"])
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=300, num_labels=2)
    model = BertForSequenceClassification(config)
    arguments = training_arguments(tmp_path_factory.mktemp("run"), HyperParameters(batch_size=16, max_steps=4),
                                   disable_tqdm=True)
    assert arguments.train_sampling_strategy == "group_by_length"
    return tokenizer, dataset, labels, model, arguments


def batch_shapes(trainer, seed: int = 7):
    torch.manual_seed(seed)  # the training sampler draws from torch's generator
    return [tuple(batch["input_ids"].shape) for batch in trainer.get_train_dataloader()]


def test_the_notebooks_trainer_makes_the_packages_batches(parts):
    from transformers import DataCollatorWithPadding

    from lectureutils.classification import compute_metrics
    from lectureutils.training import make_trainer

    tokenizer, dataset, _labels, model, arguments = parts
    scope = notebook_classes()
    notebook_trainer = scope["LengthGroupedTrainer"](
        model=model, args=arguments, train_dataset=dataset, eval_dataset=dataset, processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer), compute_metrics=compute_metrics)
    package_trainer = make_trainer(model, arguments, tokenizer, dataset, dataset, compute_metrics)
    assert type(notebook_trainer._get_train_sampler()).__name__ == "TightLengthGroupedSampler"
    shapes = batch_shapes(notebook_trainer)
    assert shapes == batch_shapes(package_trainer)
    assert sum(rows for rows, _ in shapes) == len(dataset)
    widths = [width for _, width in shapes]
    assert len(set(widths)) > 3  # batches of different widths: grouped by length, padded per batch


def test_the_notebooks_trainer_evaluates_in_order(parts):
    from transformers import DataCollatorWithPadding

    tokenizer, dataset, labels, model, arguments = parts
    trainer = notebook_classes()["LengthGroupedTrainer"](
        model=model, args=arguments, train_dataset=dataset, eval_dataset=dataset, processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer))
    assert trainer.predict(dataset).label_ids.tolist() == labels
