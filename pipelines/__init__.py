"""The commands a user runs: build, gallery, mix, export. Nothing imports this package."""
