"""Where everything on a chart goes, planned once for both renderers, and the checks of what was drawn."""
