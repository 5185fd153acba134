"""GOT's tokenizer (`tokenizer.got`) and protocol (`tokenizer.protocol`), shared by engines, loader and trainer.

Import the submodule you need: `tokenizer.protocol` imports nothing, `tokenizer.got` loads Qwen's BPE.
"""
