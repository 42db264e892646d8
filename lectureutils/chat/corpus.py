"""The project's instruction and preference data (data/chat_*.jsonl): strict readers and a topic split.

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§2 "Instruction and preference data"). Project files (CC0)
in trl's conversational SFT and DPO formats, with no download: the same files online and offline.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from .. import env
from ..corpus import DataFormatError
from .constraints import CONSTRAINTS

__all__ = [
    "INSTRUCTIONS_FILE",
    "PREFERENCES_FILE",
    "read_instructions",
    "read_preferences",
    "load_instructions",
    "load_preferences",
    "split_by_topic",
]

INSTRUCTIONS_FILE = "chat_instructions.jsonl"
PREFERENCES_FILE = "chat_preferences.jsonl"
ROLES = ("system", "user", "assistant")
INSTRUCTION_KEYS = {"id", "topic", "constraint", "messages"}
PREFERENCE_KEYS = {"id", "topic", "constraint", "prompt", "chosen", "rejected"}


def json_lines(path: Path):
    """Yield (line number, object) for every non-empty line; bad JSON or a non-object names the line."""
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFormatError(f"{path}, line {number}: not valid JSON ({error.msg}).") from None
            if not isinstance(row, dict):
                raise DataFormatError(f"{path}, line {number}: expected a JSON object, got {type(row).__name__}.")
            yield number, row


def check_messages(messages, where: str, *, last_role: str | None) -> None:
    """A list of {"role", "content"} messages: a system message only first, user/assistant alternating."""
    if not isinstance(messages, list) or not messages:
        raise DataFormatError(f"{where}: expected a non-empty list of messages.")
    expected = "user"
    for index, message in enumerate(messages):
        place = f"{where}, message {index}"
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            raise DataFormatError(f"{place}: a message is an object with exactly 'role' and 'content'.")
        role, content = message["role"], message["content"]
        if role not in ROLES:
            raise DataFormatError(f"{place}: unknown role {role!r} (use {', '.join(ROLES)}).")
        if not isinstance(content, str) or not content.strip():
            raise DataFormatError(f"{place}: empty or non-text content.")
        if role == "system":
            if index != 0:
                raise DataFormatError(f"{place}: a system message may only come first.")
            continue
        if role != expected:
            raise DataFormatError(f"{place}: expected a {expected} turn, got {role} (turns must alternate).")
        expected = "assistant" if role == "user" else "user"
    if last_role is not None and messages[-1]["role"] != last_role:
        raise DataFormatError(f"{where}: must end with a {last_role} message.")


def check_common(row: dict, keys: set, where: str, seen: set) -> None:
    """Exact keys, a new non-empty id, a topic, and a known constraint (or null)."""
    if set(row) != keys:
        missing, extra = sorted(keys - set(row)), sorted(set(row) - keys)
        raise DataFormatError(f"{where}: wrong keys (missing {missing}, unexpected {extra}).")
    if not isinstance(row["id"], str) or not row["id"].strip():
        raise DataFormatError(f"{where}: 'id' must be a non-empty string.")
    if row["id"] in seen:
        raise DataFormatError(f"{where}: repeated id {row['id']!r}.")
    seen.add(row["id"])
    if not isinstance(row["topic"], str) or not row["topic"].strip():
        raise DataFormatError(f"{where}: 'topic' must be a non-empty string.")
    if row["constraint"] is not None and row["constraint"] not in CONSTRAINTS:
        raise DataFormatError(f"{where}: unknown constraint {row['constraint']!r} (known: {', '.join(CONSTRAINTS)}).")


def read_instructions(path: str | os.PathLike) -> list[dict]:
    """Read instruction conversations strictly; any defect raises DataFormatError naming file and line (12, §2)."""
    path, rows, seen = Path(path), [], set()
    for number, row in json_lines(path):
        where = f"{path}, line {number}"
        check_common(row, INSTRUCTION_KEYS, where, seen)
        check_messages(row["messages"], where, last_role="assistant")
        rows.append(row)
    if not rows:
        raise DataFormatError(f"{path}: no conversations.")
    return rows


def read_preferences(path: str | os.PathLike) -> list[dict]:
    """Read preference pairs strictly; any defect raises DataFormatError naming file and line (12, §2)."""
    path, rows, seen = Path(path), [], set()
    for number, row in json_lines(path):
        where = f"{path}, line {number}"
        check_common(row, PREFERENCE_KEYS, where, seen)
        check_messages(row["prompt"], f"{where}, prompt", last_role="user")
        for side in ("chosen", "rejected"):
            reply = row[side]
            if not (isinstance(reply, list) and len(reply) == 1):
                raise DataFormatError(f"{where}, {side}: expected a list with one assistant message.")
            check_messages([{"role": "user", "content": "?"}] + reply, f"{where}, {side}", last_role="assistant")
        if row["chosen"][0]["content"].strip() == row["rejected"][0]["content"].strip():
            raise DataFormatError(f"{where}: chosen and rejected responses are the same.")
        rows.append(row)
    if not rows:
        raise DataFormatError(f"{path}: no preference pairs.")
    return rows


def load_instructions() -> list[dict]:
    """The project's instruction data, read from the data folder (12, §2)."""
    return read_instructions(env.data_dir() / INSTRUCTIONS_FILE)


def load_preferences() -> list[dict]:
    """The project's preference pairs, read from the data folder (12, §2)."""
    return read_preferences(env.data_dir() / PREFERENCES_FILE)


def split_by_topic(rows: list[dict], held_out_topics: int, seed: int | None = None) -> tuple[list[dict], list[dict]]:
    """(train, held-out) rows, holding out every row of ``held_out_topics`` random topics (12, §2)."""
    topics = sorted({row["topic"] for row in rows})
    if not 0 < held_out_topics < len(topics):
        raise ValueError(f"held_out_topics must be between 1 and {len(topics) - 1}, not {held_out_topics}.")
    held_out = set(random.Random(env.seed() if seed is None else seed).sample(topics, held_out_topics))
    return [row for row in rows if row["topic"] not in held_out], [row for row in rows if row["topic"] in held_out]
