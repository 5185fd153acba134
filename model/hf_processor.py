"""GOT's processor for a checkpoint: image processor, tokenizer and a chat template, saved beside the model.

With it `AutoProcessor.from_pretrained(ckpt)`, `pipeline("image-text-to-text", model=ckpt)` and the
examples of transformers' GOT-OCR2 page run on our checkpoints without the hub. Two things
transformers' `GotOcr2Processor` does not carry by itself are made to travel with the folder:

- the image tokens per image (`num_image_tokens`, 256 for GOT's 1024 px encoder): the processor does
  not save it, but it reads defaults from its tokenizer's init kwargs, so a model of another size
  (the tiny preset's 256 px give 16 tokens) records its count in `tokenizer_config.json` (transformers
  5.24, pinned, reads it through a deprecated path and says so once; 1024 px models need nothing);
- GOT's exact prompts: the processor's own prompts (`processor(image)`) put a space before `OCR: `
  and two after a `[color]`, which GOT's code (and so our shards) never writes; the chat template
  writes GOT's template exactly as `tokenizer.got.chat_prefix_ids` does, so the text of
  `processor.apply_chat_template(messages, add_generation_prompt=True)`, passed with the images to
  `processor(images, text=...)` or to the pipeline, gives the ids the model was trained on.
"""

from __future__ import annotations

import copy

from transformers import GotOcr2Config, GotOcr2Processor
from transformers.models.got_ocr2.image_processing_pil_got_ocr2 import GotOcr2ImageProcessorPil

from model.hf_tokenizer import hf_tokenizer
from tokenizer.got import SYSTEM

# GOT's mpt template: a system turn unless the messages bring one; a turn's images as one <img>...</img>
# run whose single <imgpad> the processor expands to every image token of the turn (all pages of a
# multi-page query), then the turn's text.
CHAT_TEMPLATE = (
    "{% if messages[0]['role'] != 'system' %}<|im_start|>system\n" + SYSTEM + "<|im_end|>{% endif %}"
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% if message['content'] | selectattr('type', 'equalto', 'image') | list %}<img><imgpad></img>\n{% endif %}"
    "{% for part in message['content'] if part['type'] == 'text' %}{{ part['text'] }}{% endfor %}"
    "{% endif %}<|im_end|>{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def hf_processor(config: GotOcr2Config) -> GotOcr2Processor:
    """The processor for a model of `config`: its encoder's square, CLIP normalisation, bicubic, its token count."""
    side = config.vision_config.image_size
    tokenizer = hf_tokenizer()
    if config.image_seq_length != GotOcr2Processor.num_image_tokens:
        tokenizer = copy.copy(tokenizer)  # the cached one stays as it is
        tokenizer.init_kwargs = {**tokenizer.init_kwargs, "num_image_tokens": config.image_seq_length}
    return GotOcr2Processor(image_processor=GotOcr2ImageProcessorPil(size={"height": side, "width": side}),
                            tokenizer=tokenizer, chat_template=CHAT_TEMPLATE)
