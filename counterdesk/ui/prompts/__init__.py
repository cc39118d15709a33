"""The prompt panel (服务用语) and the phrase editor."""
