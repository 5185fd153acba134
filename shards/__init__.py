"""The shard format: writing, reading, stage mixes and the streaming loader."""
