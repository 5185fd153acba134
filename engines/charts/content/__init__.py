"""What a chart says, before anything about its looks: built-in topics with their real figures and values."""
