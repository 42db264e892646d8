"""Offline stand-ins: the real architectures at a tiny size, with the real repositories' layouts, built locally.

Taught in notebooks/01_bert_embeddings.ipynb ("Offline stand-ins"); ``lectureutils.models`` resolves a model name
to one when the hub cannot be reached. One module per concern, imported in this order (no circles):

- ``sources``: the seed of the random weights and the project text each vocabulary is trained on;
- ``vocab``: the vocabulary trainers (WordPiece, byte-level and "▁"-marked BPE, unigram) and their special tokens;
- ``bert``, ``gpt``, ``qwen``: the builders, one family each, every one writing its real repository's layout;
- ``builders``: the registry of builders by name;
- ``cache``: the ``StandIn`` recipe, its cache key and folder (a Hugging Face hub cache of the stand-ins' own),
  ``build`` (atomic) and the stand-in ``MARKER``;
- ``hub``: the offline view that ``setup()`` points ``HF_HUB_CACHE`` at, linking each name to the student's real
  cached model or to its stand-in (imported on use, by ``lectureutils.models``).
"""

from .builders import BUILDERS
from .cache import MARKER, RECIPE_VERSION, StandIn, build, is_built, mark, repo_folder, standin_path, standins_hub
from .sources import SEED, TRAINING_TEXT, chat_lines, korean_lines, packaged_minilm_path, read_lines
from .vocab import KOGPT2_SPECIALS, KOREAN_SPECIALS, XLMR_SPECIALS, train_korean_wordpiece

__all__ = [
    "MARKER", "RECIPE_VERSION", "StandIn", "standin_path", "standins_hub", "repo_folder", "is_built", "build", "mark",
    "BUILDERS",
    "SEED", "TRAINING_TEXT", "read_lines", "korean_lines", "chat_lines", "packaged_minilm_path",
    "KOREAN_SPECIALS", "KOGPT2_SPECIALS", "XLMR_SPECIALS", "train_korean_wordpiece",
]
