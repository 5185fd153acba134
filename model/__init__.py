"""GOT itself: presets, training, checkpoints, inference and evaluation, on `transformers`' GOT classes.

`python -m model.train`, `python -m model.infer` and `python -m model.evaluate` are the commands;
every checkpoint they write or read is a plain `GotOcr2ForConditionalGeneration` folder.
"""
