"""Solutions of notebook 11_gpt_finetuning's exercises, kept apart from the student notebook.

Each `# %% NN.k` block replaces that exercise's answer cell. `make solutions` (and `make test`) run them through
the notebook's self-checks (lectureutils.exercises).
"""

# %% 11.1
import copy

special_tokenizer = copy.deepcopy(tokenizer)
special_model = copy.deepcopy(pretrained)
special_tokenizer.add_special_tokens({"additional_special_tokens": ["<pos>", "<neg>"]})
special_model.resize_token_embeddings(len(special_tokenizer))  # two new, random embedding rows


def encode_special(review, sentiment):
    code = special_tokenizer.convert_tokens_to_ids("<pos>" if sentiment == "positive" else "<neg>")
    body = special_tokenizer(review, add_special_tokens=False)["input_ids"] + [special_tokenizer.eos_token_id]
    return {"input_ids": [code] + body, "labels": [IGNORE_INDEX] + body}

# %% 11.2
# The real reviews' own sentiment as the condition, the judge's verdict as the prediction: the judge's accuracy.
real_control = control_accuracy(test_frame.sentiment, judge(test_frame.document.tolist()))

# %% 11.3
def first_fit_decreasing(lengths, block_size):
    blocks, room = [], []
    for index in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        for number, free in enumerate(room):
            if lengths[index] <= free:
                blocks[number].append(index)
                room[number] -= lengths[index]
                break
        else:
            blocks.append([index])
            room.append(block_size - lengths[index])
    return blocks
