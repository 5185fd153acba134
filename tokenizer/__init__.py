"""GOT's tokenizer, shared by the engines (token limits), the loader (input ids) and the trainer."""

from tokenizer.got import GotTokenizer, get_tokenizer

__all__ = ["GotTokenizer", "get_tokenizer"]
