"""Chart tables a user brings with `--source`: read, put in time order, fitted to one chart."""
